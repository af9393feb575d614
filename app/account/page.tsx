import type { Metadata } from 'next';
import { WorkspaceKeys } from '@/components/account/WorkspaceKeys';

export const metadata: Metadata = { title: 'Your AWS keys' };

export default function AccountPage() {
  return (
    <main
      id="main-content"
      tabIndex={-1}
      className="mx-auto max-w-3xl px-4 py-10 focus:outline-none"
    >
      <h1 className="text-3xl font-bold tracking-tight">Your AWS keys</h1>
      <p className="mt-4 text-slate-700 dark:text-slate-300">
        Your workspace is your own AWS account inside the course: the functions you create here are
        invisible to everyone else. Use these keys with the real AWS CLI and SDKs by pointing them
        at the course&apos;s endpoint. They work only against this course, never against AWS. Keep
        them to yourself: anyone with them can use your workspace.
      </p>
      <div className="mt-8">
        <WorkspaceKeys />
      </div>
    </main>
  );
}
