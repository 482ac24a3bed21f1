using System.Text;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>Writes UTF-8 text files (no byte order mark), creating their directory.</summary>
internal static class TextFiles
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, string text)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, text, s_utf8);
    }
}
