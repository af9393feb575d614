export interface FigureProps {
  /** A path under public/, e.g. "/images/hosting/diagram.svg". */
  src: string;
  /** The full text alternative: everything the figure shows, for readers who cannot see it. */
  alt: string;
  /** A short caption shown under the figure. */
  caption?: string;
}

/** An image or diagram with a caption. Diagrams bring their own light background, so they read in dark mode too. */
export function Figure({ src, alt, caption }: FigureProps) {
  return (
    <figure className="my-8">
      {/* A plain <img>: lesson figures are mostly SVG diagrams that need no resizing pipeline. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img
        src={src}
        alt={alt}
        loading="lazy"
        decoding="async"
        className="mx-auto h-auto w-full max-w-3xl rounded-lg border border-slate-200 dark:border-slate-700"
      />
      {caption && (
        <figcaption className="mt-2 text-center text-sm text-slate-600 dark:text-slate-400">
          {caption}
        </figcaption>
      )}
    </figure>
  );
}
