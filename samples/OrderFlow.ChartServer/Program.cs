Console.WriteLine("OrderFlow.ChartServer");
