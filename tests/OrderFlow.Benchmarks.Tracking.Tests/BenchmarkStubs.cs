// Stand-ins for the benchmark classes the test reports were made from, so that BaselineMethodLocator can read
// [Benchmark(Baseline = true)] from this assembly's metadata exactly as it reads it from OrderFlow.Benchmarks.dll.
#pragma warning disable IDE0130 // The namespaces mirror BenchmarkDotNet's and the reports'.

namespace BenchmarkDotNet.Attributes
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class BenchmarkAttribute : Attribute
    {
        public bool Baseline { get; set; }

        public string? Description { get; set; }
    }
}

namespace BenchTry
{
    using BenchmarkDotNet.Attributes;

    public class SumBenchmarks
    {
        [Benchmark(Baseline = true)]
        public int ForLoop() => 0;

        [Benchmark]
        public int Linq() => 1;

        [Benchmark(Description = "copy", Baseline = false)]
        public int Copy() => 2;
    }

    public sealed class DerivedSumBenchmarks : SumBenchmarks
    {
        [Benchmark]
        public int Extra() => 3;
    }

    public class ParamBenchmarks
    {
        [Benchmark(Baseline = true)]
        public int Xor() => 0;

        [Benchmark]
        public int Concat() => 1;
    }

    public class NoBaselineBenchmarks
    {
        [Benchmark]
        public int SmallArray() => 0;
    }

    public static class Outer
    {
        public sealed class NestedBenchmarks
        {
            [Benchmark(Baseline = true)]
            public int Inner() => 0;
        }
    }
}

namespace Elsewhere
{
    public class NotABenchmark
    {
        [Obsolete("only here to carry an attribute that is not [Benchmark]")]
        public int Baseline() => 0;
    }
}
