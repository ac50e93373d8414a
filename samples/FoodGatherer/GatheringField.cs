using System;
using NeuralNet.Gen;

namespace FoodGatherer;

/// <summary>What occupies a cell of the field.</summary>
public enum Cell : byte
{
    Empty,
    Food,
    Hazard,
}

/// <summary>
/// The game: a walled 10 × 10 field with food to collect and hazards that wander. Each frame the agent moves one
/// cell (up, down, left, right); eating food scores +1 and the food grows back on a random empty cell; touching a
/// hazard, or being reached by one, scores −1 and the hazard jumps to a random empty cell. Hazards take a random
/// step every <see cref="HazardMovePeriod"/> frames. An episode lasts <see cref="FramesPerEpisode"/> frames.
/// </summary>
/// <remarks>
/// Every array is allocated in the constructor: <see cref="Reset"/>, <see cref="Step"/> and <see cref="Observe"/>
/// allocate nothing. All randomness comes from one <see cref="DeterministicRandom"/> seeded by <see cref="Reset"/>,
/// so an episode seed fixes the starting layout for every policy that plays it.
/// </remarks>
public sealed class GatheringField
{
    public const int Width = 10;
    public const int Height = 10;
    public const int FoodCount = 5;
    public const int HazardCount = 4;
    public const int FramesPerEpisode = 100;
    public const int HazardMovePeriod = 2;

    /// <summary>The agent sees the cells within this many steps of it (a 7 × 7 window).</summary>
    public const int ViewRadius = 3;
    public const int ViewSize = 2 * ViewRadius + 1;
    /// <summary>Food, hazard and wall flags per cell of the view.</summary>
    public const int ChannelCount = 3;
    public const int ObservationSize = ViewSize * ViewSize * ChannelCount;

    /// <summary>Up, down, left, right.</summary>
    public const int ActionCount = 4;

    // Arrays, not ReadOnlySpan<int> properties: an unoptimised (Debug) build allocates those on every read.
    private static readonly int[] StepX = [0, 0, -1, 1];
    private static readonly int[] StepY = [-1, 1, 0, 0];

    private readonly Cell[] _cells = new Cell[Width * Height];
    private readonly int[] _hazardX = new int[HazardCount];
    private readonly int[] _hazardY = new int[HazardCount];
    private DeterministicRandom _random;

    /// <summary>The agent's column, 0 at the left.</summary>
    public int AgentX { get; private set; }

    /// <summary>The agent's row, 0 at the top.</summary>
    public int AgentY { get; private set; }

    /// <summary>Frames played since <see cref="Reset"/>.</summary>
    public int Frame { get; private set; }

    /// <summary>The sum of rewards since <see cref="Reset"/>.</summary>
    public int Score { get; private set; }

    /// <summary>Food eaten since <see cref="Reset"/>.</summary>
    public int FoodEaten { get; private set; }

    /// <summary>Hazards touched since <see cref="Reset"/>.</summary>
    public int HazardsTouched { get; private set; }

    /// <summary>True once <see cref="FramesPerEpisode"/> frames were played.</summary>
    public bool IsOver => Frame >= FramesPerEpisode;

    /// <summary>What is at (<paramref name="x"/>, <paramref name="y"/>), which must be inside the field.</summary>
    public Cell this[int x, int y] => _cells[y * Width + x];

    /// <summary>Starts an episode: the agent, the food and the hazards on distinct random cells drawn from <paramref name="seed"/>.</summary>
    public void Reset(long seed)
    {
        _random = new DeterministicRandom(seed);
        Array.Clear(_cells);
        Frame = 0;
        Score = 0;
        FoodEaten = 0;
        HazardsTouched = 0;
        AgentX = _random.NextInt32(Width);
        AgentY = _random.NextInt32(Height);
        for (int i = 0; i < FoodCount; i++)
        {
            (int x, int y) = RandomFreeCell();
            _cells[y * Width + x] = Cell.Food;
        }
        for (int i = 0; i < HazardCount; i++)
        {
            (_hazardX[i], _hazardY[i]) = RandomFreeCell();
            _cells[_hazardY[i] * Width + _hazardX[i]] = Cell.Hazard;
        }
    }

    /// <summary>
    /// One frame: the agent moves (into a wall: it stays), eats or is stung, then the hazards move. Returns the
    /// frame's reward.
    /// </summary>
    public int Step(int action)
    {
        if ((uint)action >= ActionCount)
            throw new ArgumentOutOfRangeException(nameof(action), action, $"Expected an action in [0, {ActionCount}).");
        if (IsOver) throw new InvalidOperationException("The episode is over; call Reset.");

        int reward = 0;
        int x = AgentX + StepX[action], y = AgentY + StepY[action];
        if (IsInside(x, y))
        {
            AgentX = x;
            AgentY = y;
        }
        int here = AgentY * Width + AgentX;
        if (_cells[here] == Cell.Food)
        {
            reward++;
            FoodEaten++;
            _cells[here] = Cell.Empty;
            (int fx, int fy) = RandomFreeCell();
            _cells[fy * Width + fx] = Cell.Food;
        }
        else if (_cells[here] == Cell.Hazard)
        {
            reward -= Sting(HazardAt(AgentX, AgentY));
        }

        Frame++;
        if (Frame % HazardMovePeriod == 0)
        {
            for (int h = 0; h < HazardCount; h++)
            {
                int direction = _random.NextInt32(ActionCount);
                int hx = _hazardX[h] + StepX[direction], hy = _hazardY[h] + StepY[direction];
                if (!IsInside(hx, hy) || _cells[hy * Width + hx] != Cell.Empty) continue;
                _cells[_hazardY[h] * Width + _hazardX[h]] = Cell.Empty;
                _hazardX[h] = hx;
                _hazardY[h] = hy;
                _cells[hy * Width + hx] = Cell.Hazard;
                if (hx == AgentX && hy == AgentY) reward -= Sting(h);
            }
        }
        Score += reward;
        return reward;
    }

    /// <summary>
    /// Writes the agent's view: for each cell of the 7 × 7 window centred on the agent (row by row), three flags:
    /// food, hazard, wall (outside the field). The agent's own cell is always empty.
    /// </summary>
    public void Observe(Span<float> observation)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"Expected an observation buffer of length {ObservationSize}, got {observation.Length}.", nameof(observation));
        observation.Clear();
        int i = 0;
        for (int dy = -ViewRadius; dy <= ViewRadius; dy++)
        {
            for (int dx = -ViewRadius; dx <= ViewRadius; dx++, i += ChannelCount)
            {
                int x = AgentX + dx, y = AgentY + dy;
                if (!IsInside(x, y)) observation[i + 2] = 1;
                else if (_cells[y * Width + x] == Cell.Food) observation[i] = 1;
                else if (_cells[y * Width + x] == Cell.Hazard) observation[i + 1] = 1;
            }
        }
    }

    /// <summary>True when (<paramref name="x"/>, <paramref name="y"/>) is a cell of the field, not the wall around it.</summary>
    public static bool IsInside(int x, int y) => (uint)x < Width && (uint)y < Height;

    /// <summary>Hazard <paramref name="h"/> stung the agent: it jumps away, so one touch costs one point. Returns 1.</summary>
    private int Sting(int h)
    {
        HazardsTouched++;
        (int x, int y) = RandomFreeCell();
        _cells[_hazardY[h] * Width + _hazardX[h]] = Cell.Empty;
        _hazardX[h] = x;
        _hazardY[h] = y;
        _cells[y * Width + x] = Cell.Hazard;
        return 1;
    }

    private int HazardAt(int x, int y)
    {
        for (int h = 0; h < HazardCount; h++)
        {
            if (_hazardX[h] == x && _hazardY[h] == y) return h;
        }
        throw new InvalidOperationException($"No hazard at ({x}, {y}).");
    }

    /// <summary>A uniformly drawn empty cell that is not the agent's (the field is never close to full).</summary>
    private (int X, int Y) RandomFreeCell()
    {
        while (true)
        {
            int x = _random.NextInt32(Width), y = _random.NextInt32(Height);
            if (_cells[y * Width + x] == Cell.Empty && (x != AgentX || y != AgentY)) return (x, y);
        }
    }
}
