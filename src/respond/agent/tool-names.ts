/**
 * The agent responder's tools by name, for the scenario's permissions to be checked against
 * without loading the MCP SDK (a dry run and every `ctl` start stay light).
 */
export const agentToolNames = ['read_page', 'read_runbook', 'query_metrics', 'post_note', 'declare_resolved', 'run_step', 'ctl_status', 'ctl_scale', 'ctl_restart', 'ctl_stop', 'ctl_kill'] as const;
