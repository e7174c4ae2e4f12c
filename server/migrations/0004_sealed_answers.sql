-- Challenge answers sealed at rest: the column holds the Argon2id hash of the normalised answer
-- sealed under the master key (XChaCha20-Poly1305, bound to the user and the position), so a
-- copy of the database without the key holds nothing to guess answers against offline. SQL
-- cannot seal: a row written before this migration still holds the plain hash, and the server
-- seals it under the master key as soon as it has loaded the key (`answer_sealing`).
ALTER TABLE user_questions RENAME COLUMN answer_hash TO sealed_answer;
