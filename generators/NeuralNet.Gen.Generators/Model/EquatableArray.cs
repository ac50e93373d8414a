using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace NeuralNet.Gen.Generators.Model;

/// <summary>
/// An immutable array with value equality. Specs flow through the incremental pipeline and are compared
/// with the previous run's; a plain array compares by reference and would defeat caching.
/// </summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    private readonly T[]? _items;

    public EquatableArray(ImmutableArray<T> items) => _items = items.IsDefault ? null : items.ToArray();

    public EquatableArray(IEnumerable<T> items) => _items = items.ToArray();

    private EquatableArray(T[] items, bool owned) => _items = owned ? items : items.ToArray();

    /// <summary>Takes <paramref name="items"/> without a copy: the caller hands the array over and never writes to it again (a file's megabyte of bytes).</summary>
    public static EquatableArray<T> Own(T[] items) => new(items, owned: true);

    /// <summary>
    /// The items without a copy, for readers that take an array (the weights importers). They must not write to it:
    /// the pipeline compares it with the next run's.
    /// </summary>
    public T[] AsArray() => _items ?? Array.Empty<T>();

    public static EquatableArray<T> Empty => new(ImmutableArray<T>.Empty);

    public int Count => _items?.Length ?? 0;

    public T this[int index] => _items![index];

    public bool Equals(EquatableArray<T> other)
    {
        var a = _items ?? Array.Empty<T>();
        var b = other._items ?? Array.Empty<T>();
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (!a[i].Equals(b[i])) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (var item in _items ?? Array.Empty<T>()) hash = unchecked(hash * 31 + item.GetHashCode());
        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
}
