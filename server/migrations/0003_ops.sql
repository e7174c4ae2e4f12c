-- A token can be disabled (by an administrator, through the API): its codes, challenge
-- responses and unlock codes are refused from then on. NULL while it is in use.
ALTER TABLE tokens ADD COLUMN disabled_at BIGINT;
