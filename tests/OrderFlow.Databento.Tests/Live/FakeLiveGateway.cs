using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Databento.Tests.Live;

/// <summary>
/// A Databento Live gateway written from the published Raw API description: greeting, CRAM challenge, auth check
/// (sha256(cram|key) hex + '-' + the key's last 5 characters), subscription lines until <c>start_session</c>, then
/// whatever DBN the test's script writes.
/// </summary>
internal sealed class FakeLiveGateway : IAsyncDisposable
{
    public const string Dataset = "GLBX.MDP3";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _key;
    private readonly Func<GatewaySession, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private readonly ConcurrentBag<Task> _sessions = [];

    public FakeLiveGateway(string key, Func<GatewaySession, Task> script)
    {
        _key = key;
        _script = script;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<GatewaySession> Connections { get; } = new();

    public ConcurrentQueue<Exception> Faults { get; } = new();

    public static DbnMetadata Metadata() => new()
    {
        Version = 3,
        Dataset = Dataset,
        Schema = null,
        Start = 1_700_000_000_000_000_000,
        STypeIn = null,
        STypeOut = DbnSType.InstrumentId,
    };

    private async Task AcceptAsync()
    {
        var index = 0;
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            var session = new GatewaySession(client, index++);
            Connections.Enqueue(session);
            _sessions.Add(Task.Run(() => RunAsync(session)));
        }
    }

    private async Task RunAsync(GatewaySession session)
    {
        try
        {
            await session.WriteLineAsync("lsg_version=0.0.0-fake");
            var cram = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            await session.WriteLineAsync("cram=" + cram);
            var auth = await session.ReadLineAsync();
            session.AuthLine = auth;
            var fields = auth?.Split('|').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]) ?? [];
            var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cram + "|" + _key))) + "-" + _key[^5..];
            if (fields.GetValueOrDefault("auth") != expected || fields.GetValueOrDefault("dataset") != Dataset || fields.GetValueOrDefault("encoding") != "dbn")
            {
                await session.WriteLineAsync("success=0|error=Authentication failed.");
                session.Close();
                return;
            }

            await session.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"success=1|session_id={1000 + session.Index}"));
            while (await session.ReadLineAsync() is { } line && line != "start_session")
            {
                session.SubscriptionLines.Add(line);
            }

            session.Writer = DbnWriter.Create(session.Stream, Metadata(), leaveOpen: true);
            await session.FlushAsync();
            await _script(session);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // the client went away
        }
        catch (Exception e)
        {
            Faults.Enqueue(e);
        }
        finally
        {
            session.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var s in Connections)
        {
            s.Close();
        }

        await _accept;
        await Task.WhenAll(_sessions).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}

/// <summary>One client connection on the fake gateway.</summary>
internal sealed class GatewaySession(TcpClient client, int index) : IDisposable
{
    private readonly StreamReader _reader = new(client.GetStream(), Encoding.UTF8, false, 1, leaveOpen: true);

    public int Index { get; } = index;

    public NetworkStream Stream { get; } = client.GetStream();

    public string? AuthLine { get; set; }


    public List<string> SubscriptionLines { get; } = [];

    public DbnWriter Writer { get; set; } = null!;

    /// <summary>The <c>start=</c> of the subscription line for a schema, or null.</summary>
    public ulong? StartOf(string schema)
    {
        var line = SubscriptionLines.Single(l => l.StartsWith("schema=" + schema + "|", StringComparison.Ordinal));
        var start = line.Split('|').FirstOrDefault(p => p.StartsWith("start=", StringComparison.Ordinal));
        return start is null ? null : ulong.Parse(start[6..], CultureInfo.InvariantCulture);
    }

    public async Task WriteLineAsync(string line)
    {
        await Stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        await Stream.FlushAsync();
    }

    public Task<string?> ReadLineAsync() => _reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));

    public async Task FlushAsync() => await Writer.FlushAsync();

    public void Bar(uint id, ulong ts, long close) =>
        Writer.Write(new OhlcvMsg(new RecordHeader(DbnRType.Ohlcv1M, 1, id, ts), new DbnPrice(close), new DbnPrice(close + 1_000_000_000), new DbnPrice(close - 1_000_000_000), new DbnPrice(close), 10));

    public void Trade(uint id, ulong ts, long price, uint size, uint sequence, char side = 'B') =>
        Writer.Write(new TradeMsg(new RecordHeader(DbnRType.Mbp0, 1, id, ts), new DbnPrice(price), size, 'T', side, 0, 0, ts + 1000, 0, sequence));

    /// <summary>A top-of-book record (tbbo / mbp-1): a trade when <paramref name="action"/> is 'T', else a book update.</summary>
    public void TopOfBook(uint id, ulong ts, long price, uint size, char action, char side) =>
        Writer.Write(new Mbp1Msg(new RecordHeader(DbnRType.Mbp1, 1, id, ts), new DbnPrice(price), size, action, side, 0, 0, ts + 1000, 0, 1,
            new BidAskPair(new DbnPrice(price - 100_000_000), new DbnPrice(price), 5, 5, 1, 1)));

    public void Mapping(uint id, string input, string output) =>
        Writer.WriteSymbolMapping(new RecordHeader(DbnRType.SymbolMapping, 1, id, 1_700_000_000_000_000_000), DbnSType.Continuous, input, DbnSType.RawSymbol, output, 1_700_000_000_000_000_000, ulong.MaxValue);

    public void Heartbeat() => Writer.WriteSystem(new RecordHeader(DbnRType.System, 0, 0, 0), "Heartbeat", 0);

    public void ReplayCompleted(string schema) => Writer.WriteSystem(new RecordHeader(DbnRType.System, 0, 0, 0), $"Finished {schema} replay", 3);

    /// <summary>Waits until the client closes the connection (or the timeout).</summary>
    public async Task WaitForCloseAsync(TimeSpan timeout)
    {
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await Stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        Close();
        _reader.Dispose();
    }

    public void Close()
    {
        try
        {
            if (client.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
        }

        client.Dispose();
    }
}
