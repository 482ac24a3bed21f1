using System.Runtime.CompilerServices;

namespace OrderFlow.Candles.Rules;

/// <summary>
/// The spike rule with its recovery: a price further than the limit from the reference (the last accepted close) is
/// rejected, unless the reference is stale or enough consecutive rejected prices agree on a new level.
/// </summary>
/// <remarks>
/// <para>Recovery, so that a genuine move larger than the limit (a session opening gap, a news bar) never freezes a series:</para>
/// <list type="bullet">
/// <item>When more than <see cref="CandleRules.ContinuityGap"/> has passed since the reference was set, the next
/// price is accepted and becomes the reference.</item>
/// <item>When <see cref="CandleRules.SpikeRecoveryCount"/> consecutive rejected prices all lie within the limit of
/// the first of them, the last of them is accepted and becomes the reference (a re-anchor).</item>
/// </list>
/// A mutable struct: keep it in a field and call it through that field. Not thread-safe.
/// </remarks>
internal struct SpikeFilter
{
    private double _reference;
    private long _referenceTimeMs;
    private bool _hasReference;
    private double _runAnchor;
    private int _runLength;

    public readonly bool HasReference => _hasReference;

    public readonly double Reference => _reference;

    /// <summary>How many consecutive prices are currently rejected and waiting to agree.</summary>
    public readonly int PendingRun => _runLength;

    /// <summary>Sets the reference without checking, e.g. from the last stored candle.</summary>
    public void Anchor(double price, long timeMs)
    {
        _reference = price;
        _referenceTimeMs = timeMs;
        _hasReference = true;
        _runLength = 0;
    }

    /// <summary>
    /// Checks a price. Returns <see cref="SpikeVerdict.Accepted"/> (reference moved to the price when
    /// <paramref name="moveReference"/>), <see cref="SpikeVerdict.Reanchored"/> or <see cref="SpikeVerdict.Rejected"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SpikeVerdict Check(double price, long timeMs, double limit, long resetGapMs, int recoveryCount, bool moveReference = true)
    {
        if (_hasReference && Math.Abs(price - _reference) <= limit && _runLength == 0)
        {
            if (moveReference)
            {
                _reference = price;
                _referenceTimeMs = Math.Max(_referenceTimeMs, timeMs);
            }

            return SpikeVerdict.Accepted;
        }

        return CheckSlow(price, timeMs, limit, resetGapMs, recoveryCount, moveReference);
    }

    private SpikeVerdict CheckSlow(double price, long timeMs, double limit, long resetGapMs, int recoveryCount, bool moveReference)
    {
        if (!_hasReference || timeMs - _referenceTimeMs > resetGapMs)
        {
            Anchor(price, Math.Max(timeMs, _hasReference ? _referenceTimeMs : timeMs));
            return SpikeVerdict.Accepted;
        }

        if (Math.Abs(price - _reference) <= limit)
        {
            // Back at the reference level: the pending run was a spike after all.
            _runLength = 0;
            if (moveReference)
            {
                _reference = price;
                _referenceTimeMs = Math.Max(_referenceTimeMs, timeMs);
            }

            return SpikeVerdict.Accepted;
        }

        if (_runLength > 0 && Math.Abs(price - _runAnchor) <= limit)
        {
            _runLength++;
        }
        else
        {
            _runAnchor = price;
            _runLength = 1;
        }

        if (recoveryCount > 0 && _runLength >= recoveryCount)
        {
            Anchor(price, Math.Max(timeMs, _referenceTimeMs));
            return SpikeVerdict.Reanchored;
        }

        return SpikeVerdict.Rejected;
    }
}

/// <summary>The outcome of <see cref="SpikeFilter.Check"/>.</summary>
internal enum SpikeVerdict
{
    /// <summary>Within the limit (or the reference was stale or unset).</summary>
    Accepted,

    /// <summary>The last of enough agreeing rejected prices: accepted, and the reference moved to it.</summary>
    Reanchored,

    /// <summary>Too far from the reference.</summary>
    Rejected,
}
