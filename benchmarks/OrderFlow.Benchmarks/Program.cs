using BenchmarkDotNet.Running;

// Runs the benchmarks chosen on the command line (BenchmarkDotNet's usual switches: --filter, --job, --exporters...).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
