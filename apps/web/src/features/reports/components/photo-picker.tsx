import { useEffect, useId, useState, type ChangeEvent } from 'react';
import { PHOTO_LIMITS } from '@pave/shared';
import { useI18n } from '../../../i18n';

const MAX_MB = Math.round(PHOTO_LIMITS.maxBytes / (1024 * 1024));

interface PhotoPickerProps {
  photos: File[];
  onChange: (photos: File[]) => void;
}

/** Object URLs for previews, revoked when the list changes or the picker goes away. */
function usePreviewUrls(files: File[]): string[] {
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    const created = files.map((file) => URL.createObjectURL(file));
    setUrls(created);
    return () => created.forEach((url) => URL.revokeObjectURL(url));
  }, [files]);
  return urls;
}

/**
 * Up to three photos, chosen in one go or one at a time (the usual way on a phone).
 * Files above the limits are refused here, before a slow upload is refused by the server.
 */
export function PhotoPicker({ photos, onChange }: PhotoPickerProps) {
  const { t } = useI18n();
  const inputId = useId();
  const hintId = useId();
  const [error, setError] = useState<string | null>(null);
  const previews = usePreviewUrls(photos);
  const isFull = photos.length >= PHOTO_LIMITS.maxFiles;

  const handleChange = (event: ChangeEvent<HTMLInputElement>) => {
    const picked = Array.from(event.target.files ?? []);
    // Cleared so that picking the same file again, after removing it, fires `change`.
    event.target.value = '';
    if (picked.length === 0) return;
    const tooLarge = picked.find((file) => file.size > PHOTO_LIMITS.maxBytes);
    if (tooLarge) {
      setError(t('form.photos.tooLarge', { name: tooLarge.name, mb: MAX_MB }));
      return;
    }
    if (photos.length + picked.length > PHOTO_LIMITS.maxFiles) {
      setError(t('form.photos.tooMany', { max: PHOTO_LIMITS.maxFiles }));
      return;
    }
    setError(null);
    onChange([...photos, ...picked]);
  };

  const remove = (index: number) => {
    setError(null);
    onChange(photos.filter((_, i) => i !== index));
  };

  return (
    <div className="field">
      <label htmlFor={inputId} className="field-label">
        {t('form.photos')}
      </label>
      <p id={hintId} className="field-hint">
        {t('form.photos.hint', { max: PHOTO_LIMITS.maxFiles, mb: MAX_MB })}
      </p>
      {photos.length > 0 && (
        <ul className="photo-previews" data-testid="photo-previews">
          {photos.map((photo, index) => (
            <li key={`${photo.name}-${photo.size}-${photo.lastModified}-${index}`} className="photo-preview">
              {previews[index] && <img src={previews[index]} alt="" />}
              <button
                type="button"
                className="photo-remove"
                onClick={() => remove(index)}
                aria-label={t('form.photos.remove', { n: index + 1 })}
              >
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                  <path d="M6 6l12 12M18 6 6 18" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
                </svg>
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={inputId}
        name="photos"
        type="file"
        className="file-input"
        accept={PHOTO_LIMITS.acceptedMimeTypes.join(',')}
        multiple
        disabled={isFull}
        aria-describedby={hintId}
        onChange={handleChange}
      />
      {/* The visible button is a second label of the real, visually hidden input: it opens the picker. */}
      <label htmlFor={inputId} className="button button--secondary file-button">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path
            d="M4 8h3l2-2.5h6L17 8h3v11H4zM12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Z"
            stroke="currentColor"
            strokeWidth="2"
            fill="none"
            strokeLinejoin="round"
          />
        </svg>
        {isFull ? t('form.photos.full') : t('form.photos.add')}
      </label>
      {error && (
        <p className="field-error" role="alert" data-testid="photo-error">
          {error}
        </p>
      )}
    </div>
  );
}
