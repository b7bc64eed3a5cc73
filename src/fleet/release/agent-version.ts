import { versionText } from '../definition/fields.ts';
import { renderTemplate, templateRefs, type TemplateRef } from '../definition/templates.ts';

/** Which release of an agent a drill ran, and where that was read. */
export interface AgentVersion {
  /** null when neither a `version:` nor an image tag says (reports show "unknown"). */
  version: string | null;
  from: 'version' | 'image' | null;
  /** The image with its `${env.NAME}` filled, when the agent names one. */
  image?: string;
}

/**
 * The tag of an image reference (`registry:5000/team/scorer:1.5.0` → `1.5.0`), else its digest
 * (`…@sha256:…`): both name one build. A name alone would run whatever `latest` is that day,
 * which names no release, so it gives none.
 */
export function imageTag(image: string): string | undefined {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : '';
  // A colon before the last "/" is a registry's port, not a tag.
  const last = name.slice(name.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  const tag = colon >= 0 ? last.slice(colon + 1) : '';
  return tag || digest || undefined;
}

/**
 * An agent's drilled version: its `version:`, else its image's tag. Only `${env.NAME}` is filled
 * (the version is known before anything starts); a reference that cannot be filled, or a value
 * that is not one line of text, leaves the version unknown rather than recording a garbled one.
 */
export function agentVersion(agent: { version?: string | undefined; image?: string | undefined }, env: NodeJS.ProcessEnv): AgentVersion {
  const image = agent.image === undefined ? undefined : fillEnv(agent.image, env);
  const withImage = image === undefined ? {} : { image };
  if (agent.version !== undefined) return { version: usable(fillEnv(agent.version, env)), from: 'version', ...withImage };
  const tag = usable(image === undefined ? undefined : imageTag(image));
  return tag ? { version: tag, from: 'image', ...withImage } : { version: null, from: null, ...withImage };
}

function usable(version: string | undefined): string | null {
  return version !== undefined && versionText.safeParse(version).success ? version : null;
}

export function agentVersions(agents: Record<string, { version?: string | undefined; image?: string | undefined }>, env: NodeJS.ProcessEnv): Record<string, AgentVersion> {
  return Object.fromEntries(Object.entries(agents).map(([name, a]) => [name, agentVersion(a, env)]));
}

/** A `version:`'s references that are not `${env.NAME}`: nothing else is known before a drill starts. */
export function nonEnvReferences(version: string): TemplateRef[] {
  return templateRefs(version).filter((r) => !r.ref.startsWith('env.'));
}

/** `${env.NAME}` without a fallback and unset here: a drill would not know the version it runs. */
export function unsetReferences(version: string, env: NodeJS.ProcessEnv): TemplateRef[] {
  return templateRefs(version).filter((r) => r.ref.startsWith('env.') && r.fallback === undefined && env[r.ref.slice(4)] === undefined);
}

function fillEnv(value: string, env: NodeJS.ProcessEnv): string | undefined {
  const { text, missing } = renderTemplate(value, (ref) => (ref.ref.startsWith('env.') ? (env[ref.ref.slice(4)] ?? ref.fallback) : undefined));
  return missing.length > 0 ? undefined : text;
}

/**
 * Each `version:` that would be unknown or garbled at the drill's start (an unset variable without
 * a fallback, a variable holding several lines), with where it is written.
 */
export function versionProblems(agents: Record<string, { version?: string | undefined }>, env: NodeJS.ProcessEnv): { path: PropertyKey[]; message: string; hint: string }[] {
  return Object.entries(agents).flatMap(([name, a]) => {
    if (a.version === undefined) return [];
    const path = ['agents', name, 'version'];
    const unset = unsetReferences(a.version, env).map((r) => ({
      path,
      message: `agents.${name}.version uses \${${r.ref}}, which is not set`,
      hint: `set ${r.ref.slice(4)} to the version under test (CI knows it), or give a fallback: \${${r.ref}:-dev}`,
    }));
    if (unset.length > 0) return unset;
    const filled = fillEnv(a.version, env);
    const checked = versionText.safeParse(filled);
    if (filled === undefined || checked.success) return [];
    return [{ path, message: `agents.${name}.version is ${JSON.stringify(filled.slice(0, 60))} once filled: ${checked.error.issues[0]!.message}`, hint: 'pass the version as one short line, e.g. 1.5.0' }];
  });
}
