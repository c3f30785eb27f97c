CREATE TABLE users (id INT PRIMARY KEY, login VARCHAR(40), email VARCHAR(80), pass_hash VARCHAR(100), role VARCHAR(12));
INSERT INTO users VALUES (1,'editor-in-chief','chief@news.lab.local','$2y$10$Qm3x8Zb3Gq4Jc1Rk9Vt7Oe8wY5aP0sL2dN6hF4uI1oK3jM7nB9cXe','admin');
INSERT INTO users VALUES (2,'mdesk','desk@news.lab.local','$2y$10$Ab4cD5eF6gH7iJ8kL9mN0oP1qR2sT3uV4wX5yZ6aB7cD8eF9gH0iJ','editor');
INSERT INTO users VALUES (3,'sports','sports@news.lab.local','$2y$10$Zy9xW8vU7tS6rQ5pO4nM3lK2jI1hG0fE9dC8bA7zY6xW5vU4tS3rQ','editor');
