using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderFlow.Redis.Diagnostics;
using StackExchange.Redis;

namespace OrderFlow.Redis.DependencyInjection;

/// <summary>Registers the chart store with Microsoft.Extensions.DependencyInjection.</summary>
public static class ChartStoreServiceCollectionExtensions
{
    /// <summary>The configuration section the options bind from by default: <c>Redis</c> (so <c>Redis:Configuration</c>, <c>Redis__KeyPrefix</c>).</summary>
    public const string DefaultSection = "Redis";

    /// <summary>
    /// Registers the singleton <see cref="IChartStore"/>, with <see cref="ChartStoreOptions"/> bound from the
    /// <paramref name="configSectionPath"/> configuration section and validated at start-up: a
    /// <see cref="RedisChartStore"/> on one shared connection when <see cref="ChartStoreOptions.Configuration"/> is
    /// set, otherwise the embedded <see cref="InMemoryChartStore"/>.
    /// </summary>
    /// <remarks>
    /// The connection is created when the store is first resolved, with <c>abortConnect=false</c>: it never throws
    /// when Redis is down, but <see cref="ConnectionMultiplexer.Connect(ConfigurationOptions, TextWriter?)"/> waits
    /// for the first attempt, up to <c>connectTimeout</c> (5 s by default), before returning a disconnected
    /// connection that keeps retrying in the background. The container disposes the store and the connection.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configSectionPath">The configuration section; <c>Redis</c> by default.</param>
    /// <param name="configure">Further configuration applied after binding.</param>
    /// <returns>The options builder, for more configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static OptionsBuilder<ChartStoreOptions> AddChartStore(this IServiceCollection services, string configSectionPath = DefaultSection, Action<ChartStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configSectionPath);
        var builder = services.AddOptions<ChartStoreOptions>().BindConfiguration(configSectionPath);
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();

        // Configuration is optional here: without it the in-memory store is registered.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChartStoreOptions>>(
            new ChartStoreOptionsValidator { RequireConfiguration = false, Section = configSectionPath }));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ChartStoreConnection(sp.GetRequiredService<IOptions<ChartStoreOptions>>().Value, sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IChartStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ChartStoreOptions>>().Value;
            var meterFactory = sp.GetService<IMeterFactory>();
            var timeProvider = sp.GetService<TimeProvider>();
            if (string.IsNullOrWhiteSpace(options.Configuration))
            {
                return new InMemoryChartStore(options, timeProvider, sp.GetService<ILogger<InMemoryChartStore>>(), meterFactory);
            }

            var connection = sp.GetRequiredService<ChartStoreConnection>().Connection;
            return new RedisChartStore(connection, options, sp.GetService<ILogger<RedisChartStore>>(), meterFactory, timeProvider);
        });
        return builder;
    }

    /// <summary>The one shared connection, created on first use and disposed with the container.</summary>
    private sealed class ChartStoreConnection : IAsyncDisposable
    {
        private readonly Lazy<ConnectionMultiplexer> _connection;

        public ChartStoreConnection(ChartStoreOptions options, ILoggerFactory? loggerFactory)
        {
            _connection = new Lazy<ConnectionMultiplexer>(() =>
            {
                var logger = loggerFactory?.CreateLogger<RedisChartStore>() ?? (ILogger)NullLogger.Instance;
                var configuration = ConfigurationOptions.Parse(options.Configuration!);
                configuration.AbortOnConnectFail = false;
                Log.Connecting(logger, options);
                return ConnectionMultiplexer.Connect(configuration);
            });
        }

        public IConnectionMultiplexer Connection => _connection.Value;

        public async ValueTask DisposeAsync()
        {
            if (_connection.IsValueCreated)
            {
                await _connection.Value.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
