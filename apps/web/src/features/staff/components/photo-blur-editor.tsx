import type { BlurBox, BlurBoxesBody, PhotoBlur, PublicPhoto } from '@pave/shared';
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useI18n } from '../../../i18n';
import { ApiError, requestJson } from '../../../lib/api-client';
import './photo-blur-editor.css';

const fetchBlur = (photoId: string) => requestJson<PhotoBlur>(`/api/staff/photos/${photoId}/blur`);
const saveBlur = (photoId: string, boxes: BlurBox[]) =>
  requestJson<PhotoBlur>(`/api/staff/photos/${photoId}/blur`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ boxes } satisfies BlurBoxesBody),
  });

/** A box smaller than this (a fraction of the photo) is a click, not a drag: nothing is added. */
const MIN_SIDE = 0.01;
/** How often the editor asks whether the new public photo is ready after a save. */
const RENDER_POLL_MS = 1_500;

const clamp = (v: number) => Math.min(1, Math.max(0, v));
const percent = (v: number) => `${(v * 100).toFixed(2)}%`;

/**
 * Staff mark the parts of a report's photos to blur (number plates, faces the worker missed): a drag on
 * the photo draws a rectangle, each rectangle is listed with a button to remove it (and a button adds one
 * in the middle without a pointer), and saving asks the worker for new public photos.
 */
export function PhotoBlurEditor({ photos }: { photos: PublicPhoto[] }) {
  const { t } = useI18n();
  const ready = photos.filter((p) => p.status === 'ready');
  const [photoId, setPhotoId] = useState(ready[0]?.id ?? null);
  if (!photoId || ready.length === 0) return null;
  return (
    <section className="blur-editor" aria-labelledby="blur-editor-title">
      <h3 id="blur-editor-title">{t('staff.blur.title')}</h3>
      {ready.length > 1 && (
        <div className="blur-editor__photos" role="group" aria-label={t('staff.blur.choose')}>
          {ready.map((p, i) => (
            <button
              key={p.id}
              type="button"
              className="button button--secondary"
              aria-pressed={p.id === photoId}
              onClick={() => setPhotoId(p.id)}
            >
              {t('staff.blur.photoN', { n: i + 1 })}
            </button>
          ))}
        </div>
      )}
      <PhotoBoxes key={photoId} photoId={photoId} />
    </section>
  );
}

function PhotoBoxes({ photoId }: { photoId: string }) {
  const { t } = useI18n();
  const [blur, setBlur] = useState<PhotoBlur | null>(null);
  const [boxes, setBoxes] = useState<BlurBox[]>([]);
  const [draft, setDraft] = useState<BlurBox | null>(null);
  const [status, setStatus] = useState<'idle' | 'saving' | 'rendering' | 'done'>('idle');
  const [error, setError] = useState<string | null>(null);
  const start = useRef<{ x: number; y: number } | null>(null);
  const surface = useRef<HTMLDivElement>(null);

  useEffect(() => {
    fetchBlur(photoId).then(
      (found) => {
        setBlur(found);
        setBoxes(found.boxes);
      },
      (caught: unknown) => setError(describe(caught)),
    );
  }, [photoId]);

  // After a save: wait for the worker's new public photo, then show it.
  useEffect(() => {
    if (status !== 'rendering') return;
    const timer = setInterval(() => {
      fetchBlur(photoId).then(
        (found) => {
          if (!found.isRendered) return;
          setBlur(found);
          setStatus('done');
        },
        () => {},
      );
    }, RENDER_POLL_MS);
    return () => clearInterval(timer);
  }, [status, photoId]);

  function describe(caught: unknown): string {
    if (caught instanceof ApiError) {
      if (caught.code === 'BLUR_BOX_INVALID') return t('staff.blur.error.invalid');
      if (caught.code === 'FORBIDDEN') return t('staff.blur.error.forbidden');
      if (caught.code === 'PHOTO_NOT_FOUND') return t('staff.blur.error.notFound');
    }
    return t('staff.blur.error.failed');
  }

  if (!blur) return error ? <p className="form-error">{error}</p> : null;

  function pointAt(event: ReactPointerEvent<HTMLDivElement>) {
    const rect = surface.current!.getBoundingClientRect();
    return { x: clamp((event.clientX - rect.left) / rect.width), y: clamp((event.clientY - rect.top) / rect.height) };
  }
  function boxFrom(a: { x: number; y: number }, b: { x: number; y: number }): BlurBox {
    return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
  }
  function change(next: BlurBox[]) {
    setBoxes(next);
    setStatus('idle');
    setError(null);
  }

  async function save() {
    setStatus('saving');
    setError(null);
    try {
      const saved = await saveBlur(photoId, boxes);
      setBlur(saved);
      setBoxes(saved.boxes);
      setStatus('rendering');
    } catch (caught) {
      setError(describe(caught));
      setStatus('idle');
    }
  }

  const isSaved = JSON.stringify(boxes) === JSON.stringify(blur.boxes);
  return (
    <div className="blur-editor__body">
      <p className="blur-editor__hint">
        {blur.detectedFaces === null
          ? t('staff.blur.hint')
          : `${t('staff.blur.faces', { n: blur.detectedFaces })} ${t('staff.blur.hint')}`}
      </p>
      <div
        ref={surface}
        className="blur-editor__surface"
        data-testid="blur-surface"
        onPointerDown={(event) => {
          if (event.button !== 0) return;
          event.currentTarget.setPointerCapture(event.pointerId);
          start.current = pointAt(event);
          setDraft(boxFrom(start.current, start.current));
        }}
        onPointerMove={(event) => {
          if (start.current) setDraft(boxFrom(start.current, pointAt(event)));
        }}
        onPointerUp={(event) => {
          if (!start.current) return;
          const box = boxFrom(start.current, pointAt(event));
          start.current = null;
          setDraft(null);
          if (box.width >= MIN_SIDE && box.height >= MIN_SIDE) change([...boxes, box]);
        }}
        onPointerCancel={() => {
          start.current = null;
          setDraft(null);
        }}
      >
        <img src={blur.largeUrl ?? ''} alt={t('staff.blur.imageAlt')} draggable={false} />
        {boxes.map((box, i) => (
          <span
            key={i}
            className="blur-editor__box"
            style={{
              left: percent(box.x),
              top: percent(box.y),
              width: percent(box.width),
              height: percent(box.height),
            }}
          >
            <span className="blur-editor__box-number" aria-hidden="true">
              {i + 1}
            </span>
          </span>
        ))}
        {draft && (
          <span
            className="blur-editor__box blur-editor__box--draft"
            style={{
              left: percent(draft.x),
              top: percent(draft.y),
              width: percent(draft.width),
              height: percent(draft.height),
            }}
          />
        )}
      </div>
      {boxes.length === 0 ? (
        <p className="blur-editor__empty">{t('staff.blur.none')}</p>
      ) : (
        <ol className="blur-editor__list" aria-label={t('staff.blur.listLabel')}>
          {boxes.map((box, i) => (
            <li key={i}>
              <span>
                {t('staff.blur.zone', {
                  n: i + 1,
                  x: Math.round(box.x * 100),
                  y: Math.round(box.y * 100),
                  w: Math.round(box.width * 100),
                  h: Math.round(box.height * 100),
                })}
              </span>
              <button
                type="button"
                className="button button--quiet"
                onClick={() => change(boxes.filter((_, j) => j !== i))}
              >
                {t('staff.blur.remove', { n: i + 1 })}
              </button>
            </li>
          ))}
        </ol>
      )}
      <div className="blur-editor__actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={() => change([...boxes, { x: 0.4, y: 0.4, width: 0.2, height: 0.2 }])}
        >
          {t('staff.blur.addCentre')}
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={isSaved || status === 'saving'}
          onClick={() => void save()}
        >
          {status === 'saving' ? t('staff.blur.saving') : t('staff.blur.save')}
        </button>
      </div>
      <p className="blur-editor__status" role="status">
        {status === 'rendering' ? t('staff.blur.rendering') : status === 'done' ? t('staff.blur.done') : ''}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
