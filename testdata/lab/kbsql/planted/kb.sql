-- the KB's SQLite database (lab): accounts of the KB's editors, article statistics
CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, email TEXT, role TEXT, password_hash TEXT);
INSERT INTO users VALUES (1, 'admin', 'it-admin@corp.lab.local', 'admin', '$2y$10$u7Qk3h0m8r6p2JcXkQF3TeYb2m0k4lV9sZx1nH5aQ7wE3rT6yU8iO');
INSERT INTO users VALUES (2, 'alice', 'alice@corp.lab.local', 'editor', '$2y$10$R4vN8bM2cX6zL1kJ9hG3fOaS5dD7fG9hJ2kL4mN6bV8cX1zQ3wE5r');
INSERT INTO users VALUES (3, 'bob', 'bob@corp.lab.local', 'editor', '$2y$10$P9oI8uY7tR6eW5qA4sD3fGhJ2kL1zX0cV9bN8mQ7wE6rT5yU4iO3');
INSERT INTO users VALUES (4, 'helpdesk', 'helpdesk@corp.lab.local', 'reader', '$2y$10$L2kJ3hG4fD5sA6qW7eR8tYuI9oP0aS1dF2gH3jK4lZ5xC6vB7nM8');
CREATE TABLE article_stats (article TEXT PRIMARY KEY, views INTEGER, updated TEXT);
INSERT INTO article_stats VALUES ('vpn-setup', 1412, '2026-11-30'), ('backup-policy', 388, '2026-11-12'),
  ('printer-howto', 972, '2026-12-01'), ('oncall-runbook', 655, '2026-12-02'), ('disk-quotas', 210, '2026-10-28');
