using OrderFlow.Candles;
using OrderFlow.Feed.Client;

namespace OrderFlow.Feed.Tests.Client;

public class BackfillPlanTests
{
    private const long T = 1_704_204_000; // Tuesday 2 January 2024 14:00 UTC
    private static readonly Timeframe M1 = Timeframe.OneMinute;

    private static FeedSubscription Sub(int depth = 500, long? hole = T, bool historyReceived = true) =>
        new(Symbol.GC, M1, depth) { HoleStart = hole, HistoryReceived = historyReceived };

    [Fact]
    public void FirstRequest_CoversTheOutage_PlusTheBarInProgress_AndTheMargin()
    {
        // 14:00 seen last, now 14:10:30: 11 bars from 14:00 to 14:10, one more for the one in progress, 2 of margin.
        Assert.Equal(11 + 1 + 2, BackfillPlan.FirstRequest(Sub(), outageStart: T + 60, now: T + 630, margin: 2));
    }

    [Fact]
    public void FirstRequest_IsClampedToTheDepth_AndToOneBar()
    {
        Assert.Equal(8, BackfillPlan.FirstRequest(Sub(depth: 8), T, T + 3600, 2));
        Assert.Equal(1 + 0, BackfillPlan.FirstRequest(Sub(), T, now: T - 1800, margin: 0));   // a clock behind the candles
    }

    [Fact]
    public void FirstRequest_SeriesThatNeverGotItsHistory_AsksForTheWholeDepth()
    {
        Assert.Equal(500, BackfillPlan.FirstRequest(Sub(hole: null, historyReceived: false), T, T + 60, 2));
    }

    [Fact]
    public void FirstRequest_NothingSeenYet_SizesFromTheDrop()
    {
        Assert.Equal(5 + 1 + 2, BackfillPlan.FirstRequest(Sub(hole: null), outageStart: T, now: T + 300, margin: 2));
    }

    [Theory]
    [InlineData(T)]
    [InlineData(T - 600)]
    public void Assess_AnswerReachingTheLastBarSeen_IsCovered(long oldest)
    {
        Assert.Equal(BackfillDecision.Covered, BackfillPlan.Assess(T, M1, requested: 14, depth: 500, sent: 14, valid: 14, oldest, now: T + 900, margin: 2).Decision);
    }

    [Fact]
    public void Assess_NothingSeenBeforeTheDrop_AnyAnswerIsCovered()
    {
        Assert.Equal(BackfillDecision.Covered, BackfillPlan.Assess(null, M1, 5, 500, 0, 0, 0, T, 2).Decision);
    }

    [Fact]
    public void Assess_FullAnswerStartingTooLate_AsksAgainForAtLeastDoubleAndTheShortfall()
    {
        // 14 bars starting 3 minutes after the last bar seen: double (28) beats 14 + 3 + 2.
        Assert.Equal(new BackfillVerdict(BackfillDecision.AskAgain, Bars: 28), BackfillPlan.Assess(T, M1, 14, 500, 14, 14, T + 180, T + 1200, 2));

        // 3 bars starting 40 minutes late (a skewed client clock): the shortfall, 3 + 40 + 2, beats double.
        Assert.Equal(new BackfillVerdict(BackfillDecision.AskAgain, Bars: 45), BackfillPlan.Assess(T, M1, 3, 500, 3, 3, T + 2400, T + 2520, 2));
    }

    [Fact]
    public void Assess_AskAgain_NeverExceedsTheDepth()
    {
        Assert.Equal(new BackfillVerdict(BackfillDecision.AskAgain, Bars: 20), BackfillPlan.Assess(T, M1, 14, 20, 14, 14, T + 180, T + 1200, 2));
    }

    [Fact]
    public void Assess_FewerBarsThanAsked_StartingTooLate_IsAGapUpToTheOldest()
    {
        Assert.Equal(new BackfillVerdict(BackfillDecision.Gap, GapFrom: T, GapTo: T + 180), BackfillPlan.Assess(T, M1, 14, 500, 8, 8, T + 180, T + 900, 2));
    }

    [Fact]
    public void Assess_FullDepthStartingTooLate_IsAGap()
    {
        Assert.Equal(new BackfillVerdict(BackfillDecision.Gap, GapFrom: T, GapTo: T + 420), BackfillPlan.Assess(T, M1, 8, 8, 8, 8, T + 420, T + 900, 2));
    }

    [Fact]
    public void Assess_EmptyAnswer_IsAGapUpToTheBarInProgress()
    {
        Assert.Equal(new BackfillVerdict(BackfillDecision.Gap, GapFrom: T, GapTo: T + 960), BackfillPlan.Assess(T, M1, 14, 500, 0, 0, 0, now: T + 930, 2));
    }

    [Fact]
    public void Assess_InvalidCandlesCountAsSent_SoAFullAnswerWithRejectsAsksAgain()
    {
        // 14 sent, 2 of them invalid: the server had all it was asked for, so more may exist further back.
        Assert.Equal(BackfillDecision.AskAgain, BackfillPlan.Assess(T, M1, 14, 500, sent: 14, valid: 12, T + 180, T + 1200, 2).Decision);
    }

    [Fact]
    public void Assess_CoarserTimeframe_CountsShortfallInItsBars()
    {
        var h1 = Timeframe.OneHour;
        Assert.Equal(new BackfillVerdict(BackfillDecision.AskAgain, Bars: 10), BackfillPlan.Assess(T, h1, 5, 500, 5, 5, T + (3 * 3600), T + (8 * 3600), 2));
    }
}
