// What an image or file message carries for display (protocol §10, ImageContent and FileContent):
// the file, its size and type, and for an image its dimensions, blurred preview and thumbnails. The
// server fills these in from the verified file; a client only lays them out. Pure (state.js uses it).
export function mediaFields(m) {
  const i = m.image;
  const f = m.file;
  if (i) {
    return {
      media: {
        fileId: String(i.fileId || ''),
        width: Number(i.width || 0),
        height: Number(i.height || 0),
        size: Number(i.size || 0),
        mimeType: i.mimeType || '',
        preview: i.preview || '', // base64 of a tiny JPEG
        thumbnails: (i.thumbnails || []).map((t) => ({ variant: t.variant, width: Number(t.width || 0), height: Number(t.height || 0) })),
        note: i.mediaNote || '',
        animated: !!i.animated,
      },
    };
  }
  if (f) return { media: { fileId: String(f.fileId || ''), name: f.name || '', size: Number(f.size || 0), mimeType: f.mimeType || '' } };
  return { media: null };
}
