import { LAB_LIMITS, type LabView } from '@/lib/labs/contract';
import type { EnvironmentRow, SettingsFields } from './settings-fields';
import { Field, INPUT, SECONDARY_BUTTON } from './controls';

/** The name of the lab event or AWS shape whose JSON the event field holds, or undefined once it is edited. */
export function eventNameOf(
  lab: Pick<LabView, 'events' | 'presets'>,
  eventText: string,
): string | undefined {
  return [...lab.events, ...lab.presets].find((option) => option.text === eventText)?.name;
}

interface LabSettingsPanelProps {
  lab: Pick<LabView, 'runtime' | 'handler' | 'events' | 'presets'>;
  /** Prefix for the panel's element ids: unique per lab on the page. */
  baseId: string;
  fields: SettingsFields;
  /** From settingsProblems(fields), keyed by field. */
  problems: Record<string, string>;
  onChange(patch: Partial<SettingsFields>): void;
}

/** The lab's configuration (memory, timeout, environment variables) and its event, each field validated as typed. */
export function LabSettingsPanel({
  lab,
  baseId,
  fields,
  problems,
  onChange,
}: LabSettingsPanelProps) {
  const environment: EnvironmentRow[] = fields.environment;
  const loaded = eventNameOf(lab, fields.eventText);
  return (
    <div className="min-w-0 space-y-4 p-4">
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">Configuration</legend>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Runtime <code>{lab.runtime}</code> · Handler <code>{lab.handler}</code>
        </p>
        <div className="grid grid-cols-2 gap-3">
          <Field id={`${baseId}-memory`} label="Memory (MB)" problem={problems.memory}>
            <input
              id={`${baseId}-memory`}
              type="number"
              inputMode="numeric"
              min={LAB_LIMITS.memoryMb.min}
              max={LAB_LIMITS.memoryMb.max}
              step={1}
              list={`${baseId}-sizes`}
              value={fields.memory}
              onChange={(e) => onChange({ memory: e.target.value })}
              aria-invalid={problems.memory ? true : undefined}
              aria-describedby={problems.memory ? `${baseId}-memory-problem` : undefined}
              className={INPUT}
            />
            <datalist id={`${baseId}-sizes`}>
              {[128, 256, 512, 1024, 1769, 3008, 10240].map((size) => (
                <option key={size} value={size} />
              ))}
            </datalist>
          </Field>
          <Field id={`${baseId}-timeout`} label="Timeout (s)" problem={problems.timeout}>
            <input
              id={`${baseId}-timeout`}
              type="number"
              inputMode="numeric"
              min={LAB_LIMITS.timeoutS.min}
              max={LAB_LIMITS.timeoutS.max}
              step={1}
              value={fields.timeout}
              onChange={(e) => onChange({ timeout: e.target.value })}
              aria-invalid={problems.timeout ? true : undefined}
              aria-describedby={problems.timeout ? `${baseId}-timeout-problem` : undefined}
              className={INPUT}
            />
          </Field>
        </div>
        <div>
          <p className="text-xs font-medium">Environment variables</p>
          {environment.length === 0 && (
            <p className="text-xs text-slate-600 dark:text-slate-400">None set.</p>
          )}
          <ul className="space-y-1">
            {environment.map((row, index) => (
              <li key={index} className="grid grid-cols-[1fr_1fr_auto] items-start gap-1">
                <input
                  aria-label={`Variable ${index + 1} name`}
                  value={row.key}
                  onChange={(e) =>
                    onChange({
                      environment: environment.map((r, i) =>
                        i === index ? { ...r, key: e.target.value } : r,
                      ),
                    })
                  }
                  aria-invalid={problems[`env${index}`] ? true : undefined}
                  aria-describedby={
                    problems[`env${index}`] ? `${baseId}-env${index}-problem` : undefined
                  }
                  className={`${INPUT} font-mono`}
                />
                <input
                  aria-label={`Variable ${index + 1} value`}
                  value={row.value}
                  onChange={(e) =>
                    onChange({
                      environment: environment.map((r, i) =>
                        i === index ? { ...r, value: e.target.value } : r,
                      ),
                    })
                  }
                  className={`${INPUT} font-mono`}
                />
                <button
                  type="button"
                  onClick={() =>
                    onChange({ environment: environment.filter((_, i) => i !== index) })
                  }
                  className={SECONDARY_BUTTON}
                  aria-label={`Remove variable ${row.key || index + 1}`}
                >
                  ✕
                </button>
                {problems[`env${index}`] && (
                  <p
                    id={`${baseId}-env${index}-problem`}
                    className="col-span-3 text-xs text-red-700 dark:text-red-400"
                  >
                    {problems[`env${index}`]}
                  </p>
                )}
              </li>
            ))}
          </ul>
          <button
            type="button"
            onClick={() => onChange({ environment: [...environment, { key: '', value: '' }] })}
            className={`${SECONDARY_BUTTON} mt-1`}
          >
            Add variable
          </button>
        </div>
      </fieldset>

      <div className="space-y-1">
        <label htmlFor={`${baseId}-preset`} className="text-sm font-semibold">
          Event
        </label>
        <select
          id={`${baseId}-preset`}
          className={INPUT}
          value={loaded ?? ''}
          onChange={(e) => {
            const chosen = [...lab.events, ...lab.presets].find(
              (option) => option.name === e.target.value,
            );
            if (chosen) onChange({ eventText: chosen.text });
          }}
        >
          <option value="" disabled={loaded !== undefined}>
            {loaded === undefined ? 'Custom (edited below)' : 'Choose an event…'}
          </option>
          <optgroup label="This lab">
            {lab.events.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
              </option>
            ))}
          </optgroup>
          <optgroup label="AWS event shapes">
            {lab.presets.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
              </option>
            ))}
          </optgroup>
        </select>
        <textarea
          aria-label="Event JSON"
          value={fields.eventText}
          onChange={(e) => onChange({ eventText: e.target.value })}
          rows={6}
          spellCheck={false}
          aria-invalid={problems.event ? true : undefined}
          aria-describedby={problems.event ? `${baseId}-event-problem` : undefined}
          className={`${INPUT} font-mono text-xs`}
        />
        {problems.event && (
          <p id={`${baseId}-event-problem`} className="text-xs text-red-700 dark:text-red-400">
            {problems.event}
          </p>
        )}
      </div>
    </div>
  );
}
