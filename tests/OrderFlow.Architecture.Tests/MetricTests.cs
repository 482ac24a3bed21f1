using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderFlow.ChartServer;
using OrderFlow.SyncWorker;

namespace OrderFlow.Architecture.Tests;

/// <summary>
/// The main README's metric table ("Logs and metrics") against the instruments the hosts really create: the chart
/// server (demo: the sync engine, the store, the live fan-out) and the sync worker on the feed client, built through
/// their public entry points and every OrderFlow service resolved (nothing started, nothing connected).
/// </summary>
public sealed class MetricTests
{
    [Fact]
    public async Task ReadmeTable_ListsExactlyTheInstrumentsTheHostsCreate_WithKindUnitAndMeter()
    {
        var instruments = await InstrumentsAsync();
        Assert.NotEmpty(instruments);
        Repository.AssertSameRows(
            instruments.Select(i => $"{i.Name} | {Kind(i)} | {i.Unit} | {i.Meter.Name}"),
            Repository.Table(Repository.LogsAndMetricsSection(), "instrument").Select(r => $"{r[0]} | {r[1]} | {r[2]} | {r[4]}"),
            "the instruments (name | kind | unit | meter)");
    }

    [Fact]
    public async Task Instruments_HaveOneOwner_AndAreNamedAfterIt()
    {
        foreach (var instrument in await InstrumentsAsync())
        {
            // orderflow.sync.x belongs to the meter OrderFlow.Sync: the name says which package counts the fact.
            var package = instrument.Meter.Name["OrderFlow.".Length..].ToLowerInvariant();
            Assert.StartsWith($"orderflow.{package}.", instrument.Name, StringComparison.Ordinal);
        }
    }

    private static string Kind(Instrument instrument) => instrument.GetType().Name switch
    {
        "Counter`1" => "counter",
        "UpDownCounter`1" => "up-down counter",
        "Histogram`1" => "histogram",
        "ObservableGauge`1" => "gauge",
        "ObservableCounter`1" => "observable counter",
        "ObservableUpDownCounter`1" => "observable up-down counter",
        "Gauge`1" => "gauge",
        var other => other,
    };

    /// <summary>Every OrderFlow instrument (one per name) published while both hosts are built and their services resolved.</summary>
    private static async Task<Instrument[]> InstrumentsAsync()
    {
        var seen = new Dictionary<string, Instrument>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name.StartsWith("OrderFlow.", StringComparison.Ordinal))
                {
                    lock (seen)
                    {
                        seen.TryAdd(instrument.Name, instrument);
                    }
                }
            },
        };
        listener.Start();

        IServiceCollection? chartServices = null;
        var chartServer = await ChartServerApp.BuildAsync(
            ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=None"],
            builder => chartServices = builder.Services);
        await using (chartServer)
        {
            ResolveOrderFlowServices(chartServer.Services, chartServices!);
        }

        IServiceCollection? workerServices = null;
        using (var worker = await SyncWorkerHost.BuildAsync(
            ["--Source=feed", "--Feed:Url=ws://127.0.0.1:9/"],
            builder =>
            {
                builder.Logging.ClearProviders();
                workerServices = builder.Services;
            }))
        {
            ResolveOrderFlowServices(worker.Services, workerServices!);
        }

        lock (seen)
        {
            return [.. seen.Values];
        }
    }

    /// <summary>Resolves every service an OrderFlow assembly registered or implements, so that every meter is created.</summary>
    private static void ResolveOrderFlowServices(IServiceProvider provider, IServiceCollection services)
    {
        static bool IsOrderFlow(Type? type) => type?.Assembly.GetName().Name is { } name && (name.StartsWith("OrderFlow.", StringComparison.Ordinal) || name == "dbn");

        foreach (var descriptor in services.Where(d => !d.IsKeyedService && !d.ServiceType.ContainsGenericParameters).ToArray())
        {
            if (IsOrderFlow(descriptor.ServiceType) || IsOrderFlow(descriptor.ImplementationType) || descriptor.ServiceType == typeof(IHostedService))
            {
                _ = provider.GetServices(descriptor.ServiceType).ToArray();
            }
        }
    }
}
