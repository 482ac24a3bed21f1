namespace OrderFlow.Benchmarks.Tracking;

/// <summary>The baseline methods of a benchmark assembly, looked up by the names BenchmarkDotNet reports.</summary>
public sealed class BaselineMethods
{
    private readonly HashSet<BaselineMethod> _methods;

    public BaselineMethods(IEnumerable<BaselineMethod> methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        _methods = [.. methods];
    }

    /// <summary>No baseline methods known: every ratio is null.</summary>
    public static BaselineMethods None { get; } = new([]);

    public int Count => _methods.Count;

    /// <summary>
    /// Whether <paramref name="method"/> of the class BenchmarkDotNet reports as <paramref name="reportedType"/>
    /// ("SumBenchmarks", "Outer.Inner", "Generic&lt;Int32&gt;") in <paramref name="ns"/> is a baseline.
    /// </summary>
    public bool Contains(string? ns, string reportedType, string method)
    {
        ArgumentNullException.ThrowIfNull(reportedType);
        return _methods.Contains(new BaselineMethod(ns ?? "", SimpleTypeName(reportedType), method));
    }

    /// <summary>"Outer.Inner" → "Inner", "Generic&lt;Int32&gt;" → "Generic", "Generic`1" → "Generic".</summary>
    internal static string SimpleTypeName(string typeName)
    {
        var end = typeName.IndexOfAny(['<', '`', '[']);
        var name = end < 0 ? typeName : typeName[..end];
        var start = name.LastIndexOfAny(['.', '+']);
        return start < 0 ? name : name[(start + 1)..];
    }
}
