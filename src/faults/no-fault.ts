import type { Fault } from './fault.ts';

/**
 * The no-fault control: nothing is injected, and the responder is paged anyway at "injection"
 * (or never). A responder that then changes a healthy system is caught acting for nothing, which
 * a drill with a real fault cannot show.
 */
export interface NoFaultSpec {
  type: 'none';
  page: 'anyway' | 'never';
}

export function noFault(spec: NoFaultSpec): Fault {
  return {
    type: 'none',
    describe: () => `nothing (a no-fault control; the responder is ${spec.page === 'anyway' ? 'paged anyway' : 'not paged'})`,
    inject: () => Promise.resolve({ detail: { page: spec.page }, remove: () => Promise.resolve() }),
  };
}
