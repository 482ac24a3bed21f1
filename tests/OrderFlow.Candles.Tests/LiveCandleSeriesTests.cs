using OrderFlow.Candles;
using OrderFlow.Candles.Flow;
using OrderFlow.Candles.Live;
using OrderFlow.Candles.Rules;
using static OrderFlow.Candles.Tests.TestData;

namespace OrderFlow.Candles.Tests;

public class LiveCandleSeriesTests
{
    private const long Ms = T0 * 1000;

    private static LiveCandleSeries Gc1m(CandleRules? rules = null) => new(Timeframe.OneMinute, rules ?? CandleRules.Seed);

    [Fact]
    public void ApplyTick_FirstTick_OpensCandleAtFlooredMinute()
    {
        var s = Gc1m();
        Assert.Equal(CandleRejection.None, s.ApplyTick(T(Ms + 1250, 2030.5, 2)));
        Assert.Equal(C(T0, 2030.5, 2030.5, 2030.5, 2030.5, 2), s.Current);
    }

    [Fact]
    public void ApplyTick_InsideCandle_UpdatesCloseExtendsHighLowAddsVolume()
    {
        var s = Gc1m();
        s.ApplyTick(T(Ms, 2030, 1));
        s.ApplyTick(T(Ms + 1000, 2032, 2));
        s.ApplyTick(T(Ms + 2000, 2029, 3));
        s.ApplyTick(T(Ms + 3000, 2031, 4));
        Assert.Equal(C(T0, 2030, 2032, 2029, 2031, 10), s.Current);
        Assert.Equal(4, s.Accepted);
    }

    [Fact]
    public void ApplyTick_WithAggressorSides_SplitsTheVolume_OnEveryPath()
    {
        var s = Gc1m();
        s.ApplyTick(T(Ms, 2030, 3) with { Side = AggressorSide.Buy });      // opens the candle
        s.ApplyTick(T(Ms + 1000, 2031, 2) with { Side = AggressorSide.Sell }); // fast path
        s.ApplyTick(T(Ms + 2000, 2030, 4));                                      // side unknown
        s.ApplyTick(T(Ms + 60_000, 2031, 5) with { Side = AggressorSide.Sell }); // next minute
        s.ApplyTick(T(Ms + 3000, 2032, 1) with { Side = AggressorSide.Buy });  // late: into the held minute
        var held = s.ToArray()[0];
        Assert.Equal((10.0, 4.0, 2.0, 4.0, 2.0), (held.Volume, held.BuyVolume, held.SellVolume, held.UnknownVolume, held.Delta));
        Assert.Equal((5.0, 0.0, 5.0, -5.0), (s.Current.Volume, s.Current.BuyVolume, s.Current.SellVolume, s.Current.Delta));

        // The spike filter's slow path keeps the side too.
        var spiky = Gc1m();
        spiky.ApplyTick(T(Ms, 2030, 1) with { Side = AggressorSide.Buy });
        Assert.Equal(CandleRejection.Spike, spiky.ApplyTick(T(Ms + 1000, 2100, 7) with { Side = AggressorSide.Buy }));
        spiky.ApplyTick(T(Ms + 2000, 2031, 2) with { Side = AggressorSide.Buy });
        Assert.Equal((3.0, 3.0), (spiky.Current.Volume, spiky.Current.BuyVolume));

        // Primed from a stored flow candle, the live candle carries on summing.
        var primed = Gc1m();
        primed.ApplyCandle(C(T0, 2030, 2031, 2029, 2030, 10).WithFlow(6, 3));
        primed.ApplyTick(T(Ms + 5000, 2030.5, 2) with { Side = AggressorSide.Sell });
        Assert.Equal((12.0, 6.0, 5.0), (primed.Current.Volume, primed.Current.BuyVolume, primed.Current.SellVolume));
    }

    [Fact]
    public void ApplyTick_CrossingBoundary_OpensNewCandleAtPreviousClose()
    {
        var s = Gc1m();
        s.ApplyTick(T(Ms, 2030, 1));
        s.ApplyTick(T(Ms + 59_999, 2031, 1));
        s.ApplyTick(T(Ms + 60_000, 2033, 5));
        Assert.Equal(C(T0 + 60, 2031, 2033, 2031, 2033, 5), s.Current);
        Assert.Equal([C(T0, 2030, 2031, 2030, 2031, 2), C(T0 + 60, 2031, 2033, 2031, 2033, 5)], s.ToArray());
    }

    [Fact]
    public void ApplyTick_AfterGapLongerThanTenHours_OpensAtOwnPrice()
    {
        var s = Gc1m();
        s.ApplyTick(T(Ms, 2030));
        s.ApplyTick(T(Ms + (10 * 3600 * 1000) + 1, 2034)); // just over 10 h later
        Assert.Equal(2034, s.Current.Open);

        var t = Gc1m();
        t.ApplyTick(T(Ms, 2030));
        t.ApplyTick(T(Ms + (10 * 3600 * 1000), 2034)); // exactly 10 h: continuity holds
        Assert.Equal(2030, t.Current.Open);
    }

    [Fact]
    public void ApplyTick_MoreThan15PointsFromLastClose_IsRejectedAsSpike()
    {
        var s = Gc1m();
        s.ApplyTick(T(Ms, 2000));
        Assert.Equal(CandleRejection.None, s.ApplyTick(T(Ms + 1, 2015)));    // exactly 15: accepted
        Assert.Equal(CandleRejection.Spike, s.ApplyTick(T(Ms + 2, 2030.1))); // 15.1 from 2015
        Assert.Equal(CandleRejection.Spike, s.ApplyTick(T(Ms + 3, 1999.9)));
        Assert.Equal(2015, s.Current.Close);
        Assert.Equal(2, s.Rejections[CandleRejection.Spike]);
        Assert.Equal(2, s.Rejections.Total);
    }

    [Fact]
    public void ApplyTick_ThreeAgreeingRejectedPrices_ReanchorTheReference()
    {
        var s = Gc1m();
        s.ApplyTick(T(Ms, 2000));
        Assert.Equal(CandleRejection.Spike, s.ApplyTick(T(Ms + 1, 2050)));
        Assert.Equal(CandleRejection.Spike, s.ApplyTick(T(Ms + 2, 2051)));
        Assert.Equal(CandleRejection.None, s.ApplyTick(T(Ms + 3, 2052)));  // third agreeing price: genuine move
        Assert.Equal(CandleRejection.None, s.ApplyTick(T(Ms + 4, 2053)));
        Assert.Equal(1, s.SpikeReanchors);
        Assert.Equal(2053, s.Current.Close);
    }

    [Fact]
    public void ApplyTick_DisagreeingSpikes_NeverReanchor()
    {
        var s = Gc1m();
        s.ApplyTick(T(Ms, 2000));
        double[] spikes = [2050, 1950, 2100, 1900, 2050, 1950];
        for (var i = 0; i < spikes.Length; i++)
        {
            Assert.Equal(CandleRejection.Spike, s.ApplyTick(T(Ms + 1 + i, spikes[i])));
        }

        Assert.Equal(2000, s.Current.Close);
        Assert.Equal(0, s.SpikeReanchors);
    }

    [Fact]
    public void ApplyTick_SpikeAfterQuietLongerThanGap_IsAcceptedAsNewLevel()
    {
        var s = Gc1m();
        s.ApplyTick(T(Ms, 2000));
        Assert.Equal(CandleRejection.None, s.ApplyTick(T(Ms + (11 * 3600 * 1000), 2100))); // Monday open after a gap
        Assert.Equal(2100, s.Current.Open);
    }

    [Fact]
    public void ApplyTick_RecoveryCountZero_NeverReanchors()
    {
        var s = Gc1m(CandleRules.Seed with { SpikeRecoveryCount = 0 });
        s.ApplyTick(T(Ms, 2000));
        for (var i = 1; i <= 10; i++)
        {
            Assert.Equal(CandleRejection.Spike, s.ApplyTick(T(Ms + i, 2050)));
        }
    }

    [Fact]
    public void ApplyTick_WickClampedToTenPointsFromBody()
    {
        var s = Gc1m(CandleRules.Seed with { MaxPriceMove = double.PositiveInfinity });
        s.ApplyTick(T(Ms, 2000));
        s.ApplyTick(T(Ms + 1, 2014));  // high 2014, close 2014
        s.ApplyTick(T(Ms + 2, 2001));  // body 2000..2001: the high is clamped to 2011
        Assert.Equal(2011, s.Current.High);
        s.ApplyTick(T(Ms + 3, 1985));  // close 1985: low 1985 is inside the body
        s.ApplyTick(T(Ms + 4, 2000));  // body 2000..2000: low clamped to 1990, high to 2010
        Assert.Equal(C(T0, 2000, 2010, 1990, 2000, 5), s.Current);
    }

    [Fact]
    public void ApplyTick_LateTickForHeldCandle_UpdatesIt_ButNotItsClose()
    {
        var s = Gc1m();
        s.ApplyTick(T(Ms, 2000));
        s.ApplyTick(T(Ms + 60_000, 2001));
        Assert.Equal(CandleRejection.None, s.ApplyTick(T(Ms + 30_000, 2004, 7)));
        var first = s.ToArray()[0];
        Assert.Equal(C(T0, 2000, 2004, 2000, 2000, 8), first);
    }

    [Fact]
    public void ApplyTick_OutOfOrderInsideCurrentCandle_DoesNotMoveTheClose()
    {
        var s = Gc1m();
        s.ApplyTick(T(Ms + 5000, 2000));
        s.ApplyTick(T(Ms + 1000, 2003));
        Assert.Equal(C(T0, 2000, 2003, 2000, 2000, 2), s.Current);
    }

    [Fact]
    public void ApplyTick_TooLateForBuffer_IsRejectedAsLate()
    {
        var s = Gc1m(CandleRules.Seed with { LiveBufferSize = 2 });
        for (var i = 0; i < 5; i++)
        {
            s.ApplyTick(T(Ms + (i * 60_000), 2000));
        }

        Assert.Equal(CandleRejection.Late, s.ApplyTick(T(Ms, 2000)));
        Assert.Equal(1, s.Rejections[CandleRejection.Late]);
    }

    [Theory]
    [InlineData(double.NaN, 1, Ms, CandleRejection.NonFinitePrice)]
    [InlineData(double.PositiveInfinity, 1, Ms, CandleRejection.NonFinitePrice)]
    [InlineData(0.0, 1, Ms, CandleRejection.NonPositivePrice)]
    [InlineData(-1.0, 1, Ms, CandleRejection.NonPositivePrice)]
    [InlineData(2000.0, -1, Ms, CandleRejection.InvalidVolume)]
    [InlineData(2000.0, double.NaN, Ms, CandleRejection.InvalidVolume)]
    [InlineData(2000.0, 1, -1L, CandleRejection.TimeOutOfRange)]
    [InlineData(2000.0, 1, long.MaxValue, CandleRejection.TimeOutOfRange)]
    public void ApplyTick_BadInput_IsRejectedWithReason_BeforeAndAfterTheFirstCandle(double price, double size, long time, CandleRejection expected)
    {
        var empty = Gc1m();
        Assert.Equal(expected, empty.ApplyTick(new Tick(time, price, size)));
        Assert.False(empty.HasCurrent);

        var running = Gc1m();
        running.ApplyTick(T(Ms, 2000));
        Assert.Equal(expected, running.ApplyTick(new Tick(time, price, size)));
        Assert.Equal(C(T0, 2000, 2000, 2000, 2000, 1), running.Current);
        Assert.Equal(1, running.Rejections[expected]);
    }

    [Fact]
    public void Buffer_HoldsTheLast500Candles()
    {
        var s = Gc1m();
        for (var i = 0; i < 600; i++)
        {
            s.ApplyTick(T(Ms + (i * 60_000), 2000 + (i % 10)));
        }

        var buffer = s.ToArray();
        Assert.Equal(500, buffer.Length);
        Assert.Equal(500, s.Count);
        Assert.Equal(T0 + (100 * 60), buffer[0].OpenTime);
        Assert.Equal(T0 + (599 * 60), buffer[^1].OpenTime);
        Assert.Equal(s.Current, buffer[^1]);
    }

    [Fact]
    public void ApplyCandle_SameMinuteRepeated_ReplacesInsteadOfAdding()
    {
        var s = Gc1m();
        s.ApplyCandle(C(T0, 2030, 2031, 2029, 2030.5, 100));
        s.ApplyCandle(C(T0, 2030, 2032, 2029, 2031.5, 150));
        Assert.Equal(1, s.Count);
        Assert.Equal(150, s.Current.Volume);
        Assert.Equal(2031.5, s.Current.Close);
    }

    [Fact]
    public void ApplyCandle_NewMinute_OpensAtPreviousClose_AndClampsWicks()
    {
        var s = Gc1m();
        s.ApplyCandle(C(T0, 2030, 2031, 2029, 2030.5));
        s.ApplyCandle(C(T0 + 60, 2032, 2050, 2031, 2033)); // open moves to 2030.5, high 2050 clamped to 2043
        Assert.Equal(C(T0 + 60, 2030.5, 2043, 2030.5, 2033, 1), s.Current);
    }

    [Fact]
    public void ApplyCandle_CloseMoreThan15Points_IsRejected()
    {
        var s = Gc1m();
        s.ApplyCandle(C(T0, 2030, 2031, 2029, 2030));
        Assert.Equal(CandleRejection.Spike, s.ApplyCandle(C(T0 + 60, 2030, 2046, 2030, 2045.5)));
        Assert.Equal(T0, s.Current.OpenTime);
    }

    [Fact]
    public void ApplyCandle_MillisecondTime_IsConvertedAndFloored()
    {
        var s = Gc1m();
        s.ApplyCandle(Candle.Create((T0 * 1000) + 30_500, 2030.5, 2031.2, 2030.1, 2031.0, 15000));
        Assert.Equal(T0, s.Current.OpenTime);
    }

    [Fact]
    public void ApplyCandle_OlderHeldCandle_IsReplaced_OlderThanBuffer_IsLate()
    {
        var s = Gc1m(CandleRules.Seed with { LiveBufferSize = 3 });
        for (var i = 0; i < 5; i++)
        {
            s.ApplyCandle(Flat(T0 + (i * 60), 2000));
        }

        Assert.Equal(CandleRejection.None, s.ApplyCandle(C(T0 + (3 * 60), 2000, 2002, 2000, 2001, 9)));
        Assert.Equal(9, s.ToArray()[1].Volume);
        Assert.Equal(CandleRejection.Late, s.ApplyCandle(Flat(T0, 2000)));
        Assert.Equal(CandleRejection.NonPositivePrice, s.ApplyCandle(default));
    }

    [Fact]
    public void Seed_FirstLiveTickIsCheckedAgainstStoredClose()
    {
        var s = Gc1m();
        s.Seed([Flat(T0 - 120, 1990), Flat(T0 - 60, 2000)]);
        Assert.Equal(CandleRejection.Spike, s.ApplyTick(T(Ms, 2100)));
        Assert.Equal(CandleRejection.None, s.ApplyTick(T(Ms, 2001)));
        Assert.Equal(C(T0, 2000, 2001, 2000, 2001, 1), s.Current);
        Assert.Equal(3, s.Count);
    }

    [Fact]
    public void Current_WhenEmpty_Throws() => Assert.Throws<InvalidOperationException>(() => Gc1m().Current);

    [Fact]
    public void LiveRulesOff_AcceptsEverything()
    {
        var s = Gc1m(CandleRules.Seed with { Live = RuleSet.None });
        s.ApplyTick(T(Ms, 2000));
        Assert.Equal(CandleRejection.None, s.ApplyTick(T(Ms + 1, 3000)));
        s.ApplyTick(T(Ms + 60_000, 2500));
        Assert.Equal(2500, s.Current.Open); // no continuity either
        Assert.Equal(3000, s.ToArray()[0].High);
    }

    [Fact]
    public void ApplyTick_SteadyState_AllocatesNothing()
    {
        var s = Gc1m();
        var ticks = Enumerable.Range(0, 10_000).Select(i => T(Ms + (i * 10L), 2000 + ((i % 7) * 0.1), 1)).ToArray();
        s.ApplyTick(ticks[0]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var tick in ticks)
        {
            s.ApplyTick(tick);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
