import { useEffect, useId, useState, type ChangeEvent } from 'react';
import { PHOTO_LIMITS } from '@pave/shared/photos';
import { useI18n } from '../../../i18n';
import { describeSubmitError } from '../report-errors';
import { ApiError } from '../../../lib/api-client';
import { downscalePhoto, PhotoDecodeError } from '../lib/downscale-photo';
import { readExifGps } from '../lib/exif-gps';

const MAX_MB = Math.round(PHOTO_LIMITS.maxBytes / (1024 * 1024));

export interface PickedPhoto {
  blob: Blob;
  name: string;
}

interface PhotoPickerProps {
  photos: PickedPhoto[];
  onChange: (photos: PickedPhoto[]) => void;
  /** Called with `[lon, lat]` when a picked JPEG says where it was taken. */
  onPositionFound?: (position: [number, number]) => void;
  /** What the big button says while more photos may be added ("Add photos" unless told). */
  addLabel?: string;
  /** The photo is the step's main action: the button is the primary one. */
  isProminent?: boolean;
}

/** Object URLs for previews, revoked when the list changes or the picker goes away. */
function usePreviewUrls(photos: PickedPhoto[]): string[] {
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    const created = photos.map((photo) => URL.createObjectURL(photo.blob));
    setUrls(created);
    return () => created.forEach((url) => URL.revokeObjectURL(url));
  }, [photos]);
  return urls;
}

/**
 * Up to three photos, from the camera or the gallery (the phone offers both), shrunk in the
 * browser before upload: 2048 px and JPEG 0.82, a few hundred KB instead of several MB.
 */
export function PhotoPicker({ photos, onChange, onPositionFound, addLabel, isProminent = false }: PhotoPickerProps) {
  const { t } = useI18n();
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const [error, setError] = useState<string | null>(null);
  const [isPreparing, setIsPreparing] = useState(false);
  const previews = usePreviewUrls(photos);
  const isFull = photos.length >= PHOTO_LIMITS.maxFiles;

  const handleChange = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = Array.from(event.target.files ?? []);
    // Cleared so that picking the same file again, after removing it, fires `change`.
    event.target.value = '';
    if (picked.length === 0) return;
    if (photos.length + picked.length > PHOTO_LIMITS.maxFiles) {
      setError(t('form.photos.tooMany', { max: PHOTO_LIMITS.maxFiles }));
      return;
    }
    setError(null);
    setIsPreparing(true);
    const prepared: PickedPhoto[] = [];
    try {
      for (const [index, file] of picked.entries()) {
        // The position is read from the original: re-encoding drops the EXIF block.
        if (onPositionFound && /jpe?g$/i.test(file.type || file.name)) {
          const position = await readExifGps(file);
          if (position) onPositionFound(position);
        }
        const blob = await downscalePhoto(file);
        if (blob.size > PHOTO_LIMITS.maxBytes) throw new ApiError('PHOTO_TOO_LARGE', 413, '');
        prepared.push({ blob, name: `photo-${photos.length + index + 1}.jpg` });
      }
      onChange([...photos, ...prepared]);
    } catch (failure) {
      if (prepared.length > 0) onChange([...photos, ...prepared]);
      const code =
        failure instanceof PhotoDecodeError
          ? failure.isHeic
            ? 'PHOTO_FORMAT_UNSUPPORTED'
            : 'PHOTO_CORRUPT'
          : failure instanceof ApiError
            ? failure.code
            : 'PHOTO_CORRUPT';
      setError(describeSubmitError(new ApiError(code, 400, ''), t));
    } finally {
      setIsPreparing(false);
    }
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
            <li key={`${photo.name}-${photo.blob.size}-${index}`} className="photo-preview">
              {previews[index] && <img src={previews[index]} alt={t('form.photos.preview', { n: index + 1 })} />}
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
        // HEIC is listed so iPhones hand over the file; the browser decodes it if it can,
        // otherwise the resident gets the "Most Compatible" advice right away.
        accept={[...PHOTO_LIMITS.acceptedMimeTypes, 'image/heic', 'image/heif', '.heic', '.heif'].join(',')}
        multiple
        disabled={isFull || isPreparing}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
        aria-invalid={error ? true : undefined}
        onChange={(event) => void handleChange(event)}
      />
      {/* The visible button is a second label of the real, visually hidden input: it opens the picker. */}
      <label
        htmlFor={inputId}
        className={`button ${isProminent ? 'button--primary' : 'button--secondary'} file-button`}
        data-testid="photo-button"
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path
            d="M4 8h3l2-2.5h6L17 8h3v11H4zM12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Z"
            stroke="currentColor"
            strokeWidth="2"
            fill="none"
            strokeLinejoin="round"
          />
        </svg>
        {isPreparing ? t('form.photos.preparing') : isFull ? t('form.photos.full') : (addLabel ?? t('form.photos.add'))}
      </label>
      <p className="visually-hidden" role="status">
        {isPreparing ? t('form.photos.preparing') : ''}
      </p>
      {error && (
        <p id={errorId} className="field-error" role="alert" data-testid="photo-error">
          {error}
        </p>
      )}
    </div>
  );
}
