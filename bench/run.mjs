// The benchmark suite arrives with the performance issue; until then this says so plainly.
console.log('npm run bench: no benchmarks yet (see the performance issue); nothing was measured.');
