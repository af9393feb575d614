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
      <div className="mt-4 space-y-3 text-slate-700 dark:text-slate-300">
        <p>
          These keys open your own workspace on the course&apos;s Lambda API. It answers at{' '}
          <code>/aws/lambda</code> on this server and speaks the same API as AWS Lambda, so you can
          use the real AWS CLI and AWS SDKs to create, configure, invoke and delete functions from
          your own terminal or code. The functions your labs run are in the same workspace.
        </p>
        <p>
          They are not AWS credentials. They work only against this course, and AWS does not accept
          them, so nothing you do with them reaches AWS or costs anything. The workspace belongs to
          this browser, as your progress does, and no one else can see its functions. Keep the
          secret access key to yourself all the same: anyone who has it can use your workspace.
        </p>
      </div>
      <div className="mt-8">
        <WorkspaceKeys />
      </div>
    </main>
  );
}
