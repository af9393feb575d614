import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { DevContentReload } from '@/components/layout/DevContentReload';
import { THEME_INIT_SCRIPT } from '@/components/layout/theme';
import { ThemeToggle } from '@/components/layout/ThemeToggle';
import { ProgressProvider } from '@/components/progress/ProgressProvider';
import { getCourseForPages } from '@/lib/server/page-course';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const { course } = await getCourseForPages();
  return {
    title: { default: course.title, template: `%s · ${course.title}` },
    description: course.summary,
  };
}

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#020617' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { course } = await getCourseForPages();
  return (
    // The theme script sets the class before hydration; React must not undo it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_INIT_SCRIPT }} />
      </head>
      <body className="min-h-screen">
        <a
          href="#main-content"
          className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-4 focus:py-2 focus:text-slate-900 focus:shadow-lg"
        >
          Skip to content
        </a>
        <ProgressProvider>
          <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/95 backdrop-blur dark:border-slate-800 dark:bg-slate-950/95">
            <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
              <Link
                href="/"
                className="font-semibold tracking-tight text-slate-900 dark:text-white"
              >
                {course.title}
              </Link>
              <nav aria-label="Site" className="flex items-center gap-4 text-sm">
                <Link
                  href="/"
                  className="text-slate-700 underline-offset-4 hover:underline dark:text-slate-300"
                >
                  Course
                </Link>
                <Link
                  href="/progress"
                  className="text-slate-700 underline-offset-4 hover:underline dark:text-slate-300"
                >
                  Your progress
                </Link>
                <Link
                  href="/account"
                  className="text-slate-700 underline-offset-4 hover:underline dark:text-slate-300"
                >
                  AWS keys
                </Link>
                <ThemeToggle />
              </nav>
            </div>
          </header>
          {children}
          <footer className="mt-16 border-t border-slate-200 py-6 text-center text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <p>
              Prices and limits are those published by AWS at the time of writing; each lesson links
              its sources.
            </p>
          </footer>
        </ProgressProvider>
        {process.env.NODE_ENV === 'development' && <DevContentReload />}
      </body>
    </html>
  );
}
