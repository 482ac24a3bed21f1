namespace OrderFlow.Benchmarks.Tracking;

/// <summary>How much a finding matters.</summary>
public enum FindingSeverity
{
    /// <summary>Makes the run fail (non-zero exit).</summary>
    Failure,

    /// <summary>Reported, never a failure.</summary>
    Warning,

    /// <summary>For information.</summary>
    Note,
}

/// <summary>Something the comparison with the baseline found about one benchmark.</summary>
public sealed record Finding(FindingSeverity Severity, string BenchmarkId, string Message);
