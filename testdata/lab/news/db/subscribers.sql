CREATE TABLE subscribers (id INT PRIMARY KEY, email VARCHAR(80), since DATE);
INSERT INTO subscribers VALUES (1,'reader1@example.org','2025-02-11'),(2,'reader2@example.org','2025-06-30'),(3,'reader3@example.org','2026-01-04');
INSERT INTO subscribers VALUES (4,'reader4@example.org','2026-03-17'),(5,'reader5@example.org','2026-09-09'),(6,'reader6@example.org','2026-11-21');
