'use client';

import { useEffect, useState } from 'react';
import { CopyButton } from '@/components/clipboard/CopyButton';
import { LAB_RUNTIMES } from '@/lib/labs/contract';
import {
  cliCommands,
  sdkExamples,
  splitOnSecret,
  type CommandBlock,
  type WorkspaceCredentials,
} from './workspace-commands';

/** The Node.js runtime the course runs, which the create-function example must name. */
const NODE_RUNTIME =
  LAB_RUNTIMES.find((runtime) => runtime.startsWith('nodejs')) ?? LAB_RUNTIMES[0];

/** Stands in for the secret while it is hidden: always the same length, so it gives nothing away. */
function MaskedSecret() {
  return (
    <>
      <span aria-hidden="true">••••••••••••••••••••</span>
      <span className="sr-only">(secret access key, hidden)</span>
    </>
  );
}

/**
 * Words kept whole where they fit on a line, so wrapping never splits
 * `--profile` or `list-functions` at a hyphen; a word longer than a line,
 * such as an endpoint on a phone, still breaks. Inline blocks would inherit
 * the line's hanging indent (see CodeText), so they reset it.
 */
function Words({ text }: { text: string }) {
  return text.split(/(\s+)/).map((word, index) =>
    word.trim() ? (
      <span key={index} className="inline-block max-w-full indent-0">
        {word}
      </span>
    ) : (
      word
    ),
  );
}

/**
 * Code as the page shows it: the secret masked unless shown (copying always
 * takes the real text). Each line is a block with a hanging indent, so a line
 * the screen wraps reads as one command, not two.
 */
function CodeText({
  code,
  secret,
  showSecret,
}: {
  code: string;
  secret: string;
  showSecret: boolean;
}) {
  return code.split('\n').map((line, lineIndex) => (
    <span key={lineIndex} className="block pl-[2ch] -indent-[2ch]">
      {/* A space, not nothing: an empty block would take no height and lose the blank line. */}
      {line === ''
        ? ' '
        : splitOnSecret(line, secret).map((part, index) =>
            part.secret && !showSecret ? (
              <MaskedSecret key={index} />
            ) : (
              <Words key={index} text={part.text} />
            ),
          )}
    </span>
  ));
}

/** A step's introduction, with its `backticked` words set as code. */
function Intro({ text }: { text: string }) {
  return (
    <p className="mt-1 text-slate-700 dark:text-slate-300">
      {text.split('`').map((piece, index) =>
        // Odd pieces sat between backticks.
        index % 2 === 1 ? <code key={index}>{piece}</code> : piece,
      )}
    </p>
  );
}

function CommandSection({
  block,
  secret,
  showSecret,
}: {
  block: CommandBlock;
  secret: string;
  showSecret: boolean;
}) {
  return (
    <section aria-labelledby={`${block.id}-heading`} className="mt-6">
      <h3 id={`${block.id}-heading`} className="font-semibold">
        {block.title}
      </h3>
      <Intro text={block.intro} />
      <div className="mt-2 flex justify-end">
        <CopyButton text={block.code} what={block.copies} />
      </div>
      {/* Wrapped, not scrolled: a long command stays readable on a phone, and copying keeps its lines. */}
      <pre className="mt-1.5 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm leading-relaxed whitespace-pre-wrap text-slate-900 [overflow-wrap:anywhere] dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
        <code>
          <CodeText code={block.code} secret={secret} showSecret={showSecret} />
        </code>
      </pre>
    </section>
  );
}

function ShowSecretButton({ shown, onToggle }: { shown: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      aria-pressed={shown}
      onClick={onToggle}
      className="inline-flex shrink-0 items-center gap-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-100 aria-pressed:border-slate-800 aria-pressed:bg-slate-800 aria-pressed:text-white dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800 dark:aria-pressed:border-slate-200 dark:aria-pressed:bg-slate-200 dark:aria-pressed:text-slate-900"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 16 16"
        className="size-3.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
      >
        <path d="M1.5 8s2.5-4.5 6.5-4.5S14.5 8 14.5 8s-2.5 4.5-6.5 4.5S1.5 8 1.5 8z" />
        <circle cx="8" cy="8" r="2" />
        {shown && <path d="M2.5 2.5l11 11" />}
      </svg>
      Show<span className="sr-only"> secret access key</span>
    </button>
  );
}

/**
 * The learner's keys for the course's Lambda API, with the AWS CLI and SDK
 * steps that use them. Loaded in the browser: the page itself is static. The
 * secret stays masked, on its own line and inside the commands, until the
 * learner presses Show; the Copy buttons copy the real text either way.
 */
export function WorkspaceKeys() {
  const [credentials, setCredentials] = useState<WorkspaceCredentials | undefined>(undefined);
  const [error, setError] = useState('');
  const [showSecret, setShowSecret] = useState(false);

  useEffect(() => {
    fetch('/api/workspace/credentials', { cache: 'no-store' })
      .then(async (response) => {
        if (!response.ok) throw new Error(`The server answered ${response.status}.`);
        setCredentials((await response.json()) as WorkspaceCredentials);
      })
      .catch((caught: Error) => setError(caught.message));
  }, []);

  if (error)
    return (
      <p role="alert" className="text-red-700 dark:text-red-400">
        Your keys could not be loaded: {error}
      </p>
    );
  if (!credentials) return <p aria-live="polite">Loading your keys…</p>;

  const { accessKeyId, secretAccessKey, region, accountId, lambdaEndpoint } = credentials;
  const values = [
    { label: 'Access key ID', copies: 'access key ID', value: accessKeyId },
    {
      label: 'Secret access key',
      copies: 'secret access key',
      value: secretAccessKey,
      secret: true,
    },
    { label: 'Region', copies: 'Region', value: region },
    { label: 'Account ID', copies: 'account ID', value: accountId },
    { label: 'Lambda endpoint', copies: 'Lambda endpoint', value: lambdaEndpoint },
  ];

  return (
    <div>
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading" className="text-xl font-semibold">
          Your keys
        </h2>
        <dl className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {values.map(({ label, copies, value, secret }) => (
            <div
              key={label}
              className="grid gap-1 px-4 py-3 sm:grid-cols-[10rem_minmax(0,1fr)] sm:gap-4"
            >
              <dt className="font-semibold sm:pt-0.5">{label}</dt>
              <dd className="flex flex-wrap items-center gap-x-3 gap-y-2">
                <code className="min-w-0 flex-1 basis-48 font-mono text-sm break-all">
                  {secret && !showSecret ? <MaskedSecret /> : value}
                </code>
                <span className="flex gap-2">
                  {secret && (
                    <ShowSecretButton
                      shown={showSecret}
                      onToggle={() => setShowSecret(!showSecret)}
                    />
                  )}
                  <CopyButton text={value} what={copies} />
                </span>
              </dd>
            </div>
          ))}
        </dl>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          The secret access key stays hidden, here and in the commands below, until you press Show.
          Its Copy buttons copy the real key either way.
        </p>
      </section>

      <section aria-labelledby="cli-heading" className="mt-10">
        <h2 id="cli-heading" className="text-xl font-semibold">
          Use them with the AWS CLI
        </h2>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          These commands need AWS CLI version 2 and a Unix shell (macOS, Linux, or WSL on Windows).
          Every command names the course&apos;s endpoint with <code>--endpoint-url</code>: without
          it, the CLI would send the keys to AWS, which would refuse them.
        </p>
        {cliCommands(credentials, NODE_RUNTIME).map((block) => (
          <CommandSection
            key={block.id}
            block={block}
            secret={secretAccessKey}
            showSecret={showSecret}
          />
        ))}
      </section>

      <section aria-labelledby="sdk-heading" className="mt-10">
        <h2 id="sdk-heading" className="text-xl font-semibold">
          Use them with an AWS SDK
        </h2>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          Both examples invoke the function created above. They read the keys and Region from the
          profile you saved, so the keys stay out of your code, and set only the endpoint.
        </p>
        {sdkExamples(credentials).map((block) => (
          <CommandSection
            key={block.id}
            block={block}
            secret={secretAccessKey}
            showSecret={showSecret}
          />
        ))}
      </section>
    </div>
  );
}
