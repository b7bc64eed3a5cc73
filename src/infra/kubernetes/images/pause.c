/*
 * agentdrill's pod sandbox process. Each pod's first container: it only holds the pod's
 * namespaces open, reaps orphans (it is pid 1 when the pod shares one pid namespace) and exits
 * on SIGINT/SIGTERM. Built static so the image needs nothing else.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_stop(int sig) {
  (void)sig;
  _exit(0);
}

static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, 0, WNOHANG) > 0) {
  }
}

int main(void) {
  signal(SIGINT, on_stop);
  signal(SIGTERM, on_stop);
  signal(SIGCHLD, on_child);
  for (;;) pause();
}
