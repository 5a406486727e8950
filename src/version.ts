declare const __VPPKIT_VERSION__: string | undefined;

/** Baked in by the bundler (and by vitest's define), so the bins answer --version without reading files. */
export const VERSION: string = typeof __VPPKIT_VERSION__ === 'string' ? __VPPKIT_VERSION__ : '0.0.0-dev';
