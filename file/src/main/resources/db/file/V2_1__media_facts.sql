-- What the image processor found beyond the dimensions (design.md 11.9): an animated original
-- (thumbnails show its first frame) and why an image has no thumbnails. The stripped original is a
-- row of file.thumbnails of kind 'stripped'.
ALTER TABLE file.blobs
  ADD COLUMN animated   boolean NOT NULL DEFAULT false,
  ADD COLUMN media_note text NOT NULL DEFAULT '';
