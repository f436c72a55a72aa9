/** `turnpike operator`: the control plane against Kubernetes (informers, leader election, status). */
export async function runOperator(_argv: readonly string[]): Promise<void> {
  return Promise.reject(new Error('operator mode is not wired yet; use `turnpike standalone`'));
}
