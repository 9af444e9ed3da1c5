// The badge palette: every badge in the UI is one of these tones, named by meaning, not by color.
export type BadgeTone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';
