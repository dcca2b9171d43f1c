-- A role for gonet tournament workers: it claims, renews and gives back scheduled games, commits
-- the games it played, reads entrants and networks, and keeps its own row in `worker`. It cannot
-- add, change or remove entrants, networks or the config, nor change or delete a committed game;
-- it reads the teacher's course settings (a paused tournament) and never sees students or tokens.
-- Run as the tournament's owner after `gonet tournament init`; then give workers
-- postgres://gonet_worker@HOST/DB with the password in ~/.pgpass or PGPASSWORD.
CREATE ROLE gonet_worker LOGIN PASSWORD 'change me';
GRANT SELECT ON gonet_schema, config, network, entrant, game, worker, course TO gonet_worker;
GRANT SELECT, UPDATE (token, worker, host, pid, claimed, expires, note), DELETE ON scheduled TO gonet_worker;
GRANT INSERT ON game TO gonet_worker;
GRANT USAGE ON SEQUENCE game_id_seq TO gonet_worker;
GRANT INSERT, UPDATE (host, last_seen, games) ON worker TO gonet_worker;
