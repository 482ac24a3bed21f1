Console.WriteLine("OrderFlow.SyncWorker");
