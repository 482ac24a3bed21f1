namespace OrderFlow.Benchmarks.Tracking;

/// <summary>A method marked [Benchmark(Baseline = true)].</summary>
/// <param name="Namespace">Namespace of the benchmark class; empty for the global namespace.</param>
/// <param name="Type">Simple name of the class (no namespace, no generic arity).</param>
/// <param name="Method">The method's name.</param>
public sealed record BaselineMethod(string Namespace, string Type, string Method);
