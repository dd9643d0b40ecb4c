-- A table with a column of every type Strata serves, for the golden operations that say
-- `# project: types`. Run after seed.sql on the golden database.
CREATE SCHEMA specimens;
CREATE TYPE specimens.mood AS ENUM ('calm', 'busy', 'frantic');
CREATE TYPE specimens.grade AS ENUM ('A+', 'A', 'B-');
CREATE DOMAIN specimens.percent AS integer CHECK (VALUE BETWEEN 0 AND 100);
CREATE TABLE specimens.samples (
    id integer PRIMARY KEY,
    label text NOT NULL,
    code varchar(8),
    tag character(3),
    small smallint,
    count integer,
    big bigint,
    amount numeric(10,2),
    ratio real,
    precise double precision,
    flag boolean,
    ref uuid,
    at timestamptz,
    local_at timestamp,
    day date,
    clock time,
    span interval,
    host inet,
    net cidr,
    doc tsvector,
    blob bytea,
    data jsonb,
    raw json,
    mood specimens.mood,
    grade specimens.grade,
    score specimens.percent,
    labels text[],
    counts integer[],
    moods specimens.mood[],
    "First Name" text
);
INSERT INTO specimens.samples VALUES
    (1, 'Alpha', 'AL-1', 'aa', 1, 10, 9007199254740993, 12.50, 0.5, 3.14159265358979, true,
     '00000000-0000-4000-8000-00000000000a', '2026-01-02T03:04:05Z', '2026-01-02 03:04:05', '2026-01-02', '03:04:05', '1 day 2 hours',
     '10.0.0.1', '10.0.0.0/8', to_tsvector('english', 'The quick brown fox'), '\x00ff10', '{"k": 1, "tags": ["x"]}', '{"raw": true}',
     'calm', 'A+', 90, '{red,green}', '{1,2,3}', '{calm,busy}', 'Ada'),
    (2, 'beta', 'BE-2', 'b', -2, 20, -5, 0.01, 1.5, 2.5, false,
     '00000000-0000-4000-8000-00000000000b', '2025-06-30T23:59:59Z', '2025-06-30 23:59:59', '2025-06-30', '23:59:59', '45 minutes',
     '192.168.1.20', '192.168.1.0/24', to_tsvector('english', 'A lazy dog sleeps'), '\x', '{"k": 2}', '[1, 2]',
     'frantic', 'B-', 5, '{green}', '{}', '{frantic}', 'Bob'),
    (3, 'Gamma', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL);
GRANT USAGE ON SCHEMA specimens TO admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON specimens.samples TO admin;
