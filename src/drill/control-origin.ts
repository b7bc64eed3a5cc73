/**
 * How the control server tells a runbook step's `agentdrill ctl` from a person's at another
 * terminal: steps run with `AGENTDRILL_CTL_ORIGIN=step`, and ctl passes it on as a header. A
 * step's ctl is journaled as the step already; a person's is journaled by a human responder.
 */
export const ctlOriginEnv = 'AGENTDRILL_CTL_ORIGIN';
export const ctlOriginHeader = 'x-agentdrill-origin';
/** The name of the person at ctl's terminal (responderName), URI-encoded. */
export const ctlByHeader = 'x-agentdrill-by';
