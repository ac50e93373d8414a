using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>
/// Compares generated text with the committed <c>Snapshots/&lt;name&gt;.verified.txt</c>. On a difference it writes
/// <c>&lt;name&gt;.received.txt</c> next to it and fails with a line diff; with <c>NNG_ACCEPT_SNAPSHOTS=1</c> it
/// overwrites the verified file instead (then review the change in git).
/// </summary>
internal static class SnapshotAssert
{
    public const string AcceptVariable = "NNG_ACCEPT_SNAPSHOTS";

    public static void Matches(string name, string actual, [CallerFilePath] string callerPath = "") =>
        Compare(Path.Combine(ProjectDirectory(callerPath), "Snapshots"), name, actual, Environment.GetEnvironmentVariable(AcceptVariable) == "1");

    /// <summary>The comparison itself, with the directory and the accept decision explicit (for the helper's own tests).</summary>
    public static void Compare(string directory, string name, string actual, bool accept)
    {
        string verifiedPath = Path.Combine(directory, name + ".verified.txt");
        string receivedPath = Path.Combine(directory, name + ".received.txt");
        actual = Normalize(actual);
        string? expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (expected == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }

        if (accept)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, actual);
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        var message = new StringBuilder();
        message.AppendLine(expected is null
            ? $"No snapshot {verifiedPath}; the output was written to {receivedPath}."
            : $"Generated source differs from {verifiedPath}; the output was written to {receivedPath}.");
        message.AppendLine($"Run the tests with {AcceptVariable}=1 to accept it.");
        if (expected is not null) message.Append(Diff(expected, actual));
        throw new XunitException(message.ToString());
    }

    /// <summary>A line diff, changed lines only with two lines of context, capped so that a failure stays readable.</summary>
    public static string Diff(string expected, string actual)
    {
        var model = InlineDiffBuilder.Diff(expected, actual, ignoreWhiteSpace: false);
        var lines = model.Lines;
        var text = new StringBuilder();
        int shown = 0, lastPrinted = -1;
        for (int i = 0; i < lines.Count && shown < 200; i++)
        {
            if (lines[i].Type == ChangeType.Unchanged) continue;
            for (int j = Math.Max(lastPrinted + 1, i - 2); j < i; j++) text.AppendLine("  " + lines[j].Text);
            int end = i;
            while (end < lines.Count && lines[end].Type != ChangeType.Unchanged) end++;
            for (int j = i; j < end; j++, shown++)
            {
                text.AppendLine((lines[j].Type == ChangeType.Inserted ? "+ " : lines[j].Type == ChangeType.Deleted ? "- " : "~ ") + lines[j].Text);
            }
            for (int j = end; j < Math.Min(lines.Count, end + 2); j++) text.AppendLine("  " + lines[j].Text);
            lastPrinted = Math.Min(lines.Count, end + 2) - 1;
            i = lastPrinted;
        }
        return text.ToString();
    }

    /// <summary>
    /// This project's source directory: where the calling file was compiled, or, when the build mapped source paths
    /// (ContinuousIntegrationBuild gives /_/...), the first parent of the test binaries holding the project file.
    /// </summary>
    private static string ProjectDirectory(string callerPath)
    {
        const string projectFile = "NeuralNet.Gen.Generators.Tests.csproj";
        string? directory = Path.GetDirectoryName(callerPath);
        if (directory is not null && File.Exists(Path.Combine(directory, projectFile))) return directory;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, projectFile))) return d.FullName;
            string nested = Path.Combine(d.FullName, "tests", "NeuralNet.Gen.Generators.Tests");
            if (File.Exists(Path.Combine(nested, projectFile))) return nested;
        }
        throw new InvalidOperationException($"Cannot find {projectFile} from {callerPath} or {AppContext.BaseDirectory}.");
    }

    // Git may check text out with CRLF; the comparison is of content, not line endings.
    private static string Normalize(string text) => text.Replace("\r\n", "\n");
}
