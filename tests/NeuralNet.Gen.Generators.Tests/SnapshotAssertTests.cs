using System;
using System.IO;
using Xunit;
using Xunit.Sdk;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>The snapshot helper fails with a diff, writes what it received, and accepts only when told to.</summary>
public sealed class SnapshotAssertTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nng-snapshots-" + Guid.NewGuid().ToString("N"));

    public SnapshotAssertTests()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "Sample.verified.txt"), "line 1\nline 2\nline 3\n");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Equal_text_passes_whatever_the_line_endings()
    {
        SnapshotAssert.Compare(_directory, "Sample", "line 1\r\nline 2\r\nline 3\r\n", accept: false);
        Assert.False(File.Exists(Path.Combine(_directory, "Sample.received.txt")));
    }

    [Fact]
    public void A_difference_fails_with_a_line_diff_and_writes_the_received_file()
    {
        var e = Assert.Throws<XunitException>(() => SnapshotAssert.Compare(_directory, "Sample", "line 1\nchanged\nline 3\n", accept: false));
        Assert.Contains("- line 2", e.Message);
        Assert.Contains("+ changed", e.Message);
        Assert.Contains("  line 1", e.Message);
        Assert.Contains(SnapshotAssert.AcceptVariable, e.Message);
        Assert.Equal("line 1\nchanged\nline 3\n", File.ReadAllText(Path.Combine(_directory, "Sample.received.txt")));
        Assert.Equal("line 1\nline 2\nline 3\n", File.ReadAllText(Path.Combine(_directory, "Sample.verified.txt")));
    }

    [Fact]
    public void A_missing_snapshot_fails()
    {
        var e = Assert.Throws<XunitException>(() => SnapshotAssert.Compare(_directory, "Missing", "text\n", accept: false));
        Assert.Contains("No snapshot", e.Message);
        Assert.True(File.Exists(Path.Combine(_directory, "Missing.received.txt")));
    }

    [Fact]
    public void Accepting_overwrites_the_snapshot_and_removes_the_received_file()
    {
        Assert.ThrowsAny<XunitException>(() => SnapshotAssert.Compare(_directory, "Sample", "new\n", accept: false));
        SnapshotAssert.Compare(_directory, "Sample", "new\n", accept: true);
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(_directory, "Sample.verified.txt")));
        Assert.False(File.Exists(Path.Combine(_directory, "Sample.received.txt")));
        SnapshotAssert.Compare(_directory, "Sample", "new\n", accept: false);
    }
}
