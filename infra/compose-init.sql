-- Run once by the postgis image on first start: the test database next to the application database.
CREATE DATABASE pave_test OWNER pave;
\c pave_test
CREATE EXTENSION IF NOT EXISTS postgis;
\c pave
CREATE EXTENSION IF NOT EXISTS postgis;
