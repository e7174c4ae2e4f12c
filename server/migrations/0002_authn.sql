-- Authentication beyond the token: challenge questions and the failure counters that throttle
-- guessing (RFC 4226 section 7.3) across sessions and server instances.

-- A user's challenge questions: the question's text as it was asked when set (so a later
-- change of the configured list does not change what the user answered) and the Argon2id PHC
-- hash of the normalised answer.
CREATE TABLE user_questions (
    user_name TEXT NOT NULL REFERENCES users (name),
    position BIGINT NOT NULL,
    question TEXT NOT NULL,
    answer_hash TEXT NOT NULL,
    PRIMARY KEY (user_name, position)
);

-- The question a user was last asked, answerable once until `expires_at` (Unix seconds).
CREATE TABLE question_challenges (
    user_name TEXT NOT NULL PRIMARY KEY REFERENCES users (name),
    position BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Consecutive failures per user and factor (`password`, `answer`, `code`), counted by an
-- atomic upsert so parallel wrong guesses all count; a success deletes the row. Times are Unix
-- milliseconds; `locked_until_ms` is 0 when not locked.
CREATE TABLE auth_failures (
    user_name TEXT NOT NULL REFERENCES users (name),
    factor TEXT NOT NULL,
    failures BIGINT NOT NULL,
    last_failure_ms BIGINT NOT NULL,
    locked_until_ms BIGINT NOT NULL,
    PRIMARY KEY (user_name, factor)
);
