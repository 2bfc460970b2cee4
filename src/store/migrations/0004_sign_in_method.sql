-- Schema version 4: how each account signs in (issue 16). Applied in one transaction together
-- with `PRAGMA user_version = 4`; no existing value changes.
--
-- `auth_method` is the strongest SASL method that has worked for the account: NULL (none yet),
-- 'plain', 'scram' or 'scram-plus' (SCRAM with channel binding). A sign-in only ever raises it,
-- and a server that later offers only something weaker is refused, unless `allow_plain` is 1:
-- the person allowed any method down to PLAIN, because their server changed on purpose.
-- Like every enumeration, without a CHECK constraint (0001_initial.sql says why).
ALTER TABLE accounts ADD COLUMN auth_method TEXT;
ALTER TABLE accounts ADD COLUMN allow_plain INTEGER NOT NULL DEFAULT 0;
