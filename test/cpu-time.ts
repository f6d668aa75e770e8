// Milliseconds of CPU this process has used. Timing checks compare these rather than wall time:
// on a 2-core machine that also runs MariaDB, Kafka and other test files, wall time counts
// whatever else was scheduled meanwhile, while CPU time counts only the work under test.
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
