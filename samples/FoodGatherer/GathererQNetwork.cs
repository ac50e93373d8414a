using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace FoodGatherer;

/// <summary>
/// The agent's action-value function Q(s, ·): the 7 × 7 cells around the agent (food, hazard, wall; channels last)
/// in, one estimated return per move out. Huber loss as in the DQN paper (Mnih et al. 2015), which clips the error's
/// gradient at 1; Adam. The online network and the target network are two instances of this class.
/// </summary>
[Network(Seed = 1)]
[Input(GatheringField.ObservationSize)]
[Dense(64, Relu)]
[Dense(32, Relu)]
[Dense(GatheringField.ActionCount)]
[Loss(LossFunction.Huber)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.001f)]
public partial class GathererQNetwork { }
