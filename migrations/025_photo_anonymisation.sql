-- Anonymised photos (issue #17): the worker blurs the faces it detects, staff add boxes to blur
-- (number plates, faces the model missed), and the original is kept private until its retention ends
-- so a later box is blurred from full-resolution pixels (a private, metadata-free copy).

ALTER TABLE photos
  -- Staff boxes, normalised 0..1 to the upright image: [{"x","y","width","height"}].
  ADD COLUMN blur_boxes jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(blur_boxes) = 'array'),
  -- What the face detector found at the last render (normalised boxes and scores); NULL before.
  ADD COLUMN detected_faces jsonb,
  -- Bumped by every staff edit; the renditions on show are those of `rendered_revision`. Each
  -- revision has its own public keys: renditions are cached as immutable, so blurring a face
  -- under an old URL would leave the unblurred copy in every browser and CDN that kept it.
  ADD COLUMN render_revision integer NOT NULL DEFAULT 0 CHECK (render_revision >= 0),
  ADD COLUMN rendered_revision integer,
  -- The private original (full resolution, upright, no metadata; never served) is deleted once this
  -- date has passed. The upload itself, with its EXIF block, is still deleted after the first render.
  ADD COLUMN original_delete_after timestamptz,
  ADD COLUMN original_deleted_at timestamptz;

-- Photos processed before this migration kept no original (and were published unblurred).
UPDATE photos SET original_deleted_at = coalesce(processed_at, now()) WHERE status <> 'pending';
UPDATE photos SET rendered_revision = 0 WHERE status = 'ready';

-- The hourly upkeep looks for private originals past their retention.
CREATE INDEX photos_original_retention_idx ON photos (original_delete_after)
  WHERE original_deleted_at IS NULL AND original_delete_after IS NOT NULL;
