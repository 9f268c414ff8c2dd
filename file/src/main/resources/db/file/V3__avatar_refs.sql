-- Avatars reference their files (design.md 11.3, ACC-5). A profile change takes the new avatar's
-- reference first, writes the profile, then releases the user's older avatar references, so for a
-- moment a user holds two: the one-per-user index becomes one per (user, file). Each reference
-- carries the generation it was taken at (a sequence): "release what is older than the reference I
-- took" then never releases a newer one, and also repairs what a crash between the steps left.
ALTER TABLE file.refs ADD COLUMN generation bigint;
DROP INDEX file.refs_avatar;
CREATE UNIQUE INDEX refs_avatar ON file.refs (avatar_user_id, file_id) WHERE avatar_user_id IS NOT NULL;
CREATE SEQUENCE file.avatar_generations;
