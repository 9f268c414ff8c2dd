-- Reference counting (design.md 11.3, 11.5). Invariant, kept under the blob row's lock: a live blob's
-- delete_after is NULL exactly while some file of it has a row in file.refs; otherwise it is when the
-- janitor may delete the blob (its last reference went, or it was stored, plus file.delete-grace).

-- Blobs stored before references existed were never attached to anything: they get a day's grace
-- from this migration (the default file.delete-grace), like a fresh upload.
UPDATE file.blobs b SET delete_after = now() + interval '1 day'
 WHERE b.delete_after IS NULL
   AND NOT EXISTS (SELECT 1 FROM file.refs r JOIN file.files f ON f.file_id = r.file_id
                    WHERE f.blob_id = b.blob_id);

-- The janitor's question: which blobs are due.
CREATE INDEX blobs_due ON file.blobs (delete_after) WHERE delete_after IS NOT NULL;
