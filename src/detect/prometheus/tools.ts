import { AgentdrillError } from '../../core/errors.ts';
import { findExecutable } from '../../infra/local/host-tools.ts';

/** Debian's packages: `prometheus` (with promtool) and `prometheus-alertmanager`. */
export const aptHint = 'install Debian\'s packages: apt-get update && apt-get install -y --no-install-recommends prometheus prometheus-alertmanager';

export interface PrometheusTools {
  prometheus: string;
  promtool: string;
  alertmanager: string;
}

/**
 * The three binaries a Prometheus-detected drill runs, or TOOL_MISSING (exit 4) naming the ones
 * missing and the apt line. Debian names Alertmanager's binary prometheus-alertmanager; upstream's
 * tarball names it alertmanager: either will do.
 */
export function requirePrometheusTools(env: NodeJS.ProcessEnv = process.env): PrometheusTools {
  const found = {
    prometheus: findExecutable('prometheus', env),
    promtool: findExecutable('promtool', env),
    alertmanager: findExecutable('prometheus-alertmanager', env) ?? findExecutable('alertmanager', env),
  };
  const missing = Object.entries(found).filter(([, p]) => p === undefined).map(([name]) => name);
  if (missing.length > 0) {
    throw new AgentdrillError('TOOL_MISSING', `${missing.join(', ')} not found on PATH; detection by Prometheus rules runs a real Prometheus and Alertmanager`, {
      hint: aptHint,
      context: { missing },
    });
  }
  return found as PrometheusTools;
}

/** promtool alone (validate --rules, the exported test). */
export function requirePromtool(env: NodeJS.ProcessEnv = process.env): string {
  const promtool = findExecutable('promtool', env);
  if (promtool) return promtool;
  throw new AgentdrillError('TOOL_MISSING', 'promtool not found on PATH; it checks Prometheus rule files', { hint: aptHint });
}
