import Link from 'next/link';

export default function NotFound() {
  return (
    <main
      id="main-content"
      tabIndex={-1}
      className="mx-auto max-w-2xl px-4 py-16 text-center focus:outline-none"
    >
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-300">404</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">This page is not in the course</h1>
      <p className="mt-4 text-slate-700 dark:text-slate-300">
        The link may be out of date, or the lesson may have moved. Your progress is safe.
      </p>
      <p className="mt-8">
        <Link
          href="/"
          className="rounded-md bg-brand-700 px-5 py-3 font-semibold text-white hover:bg-brand-600 dark:bg-brand-300 dark:text-slate-950"
        >
          Go to the course home
        </Link>
      </p>
    </main>
  );
}
