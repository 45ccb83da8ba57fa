import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { addPipelineStacks } from '../../bin/app.js';
import { defaultConfig } from '../../lib/config/app-config.js';

/**
 * Logical ids are a contract: CloudFormation replaces a resource whose logical id changes, so a
 * renamed construct would delete a bucket's data or a function's history on the next deploy.
 * These are the names of the first production deploy; a change here must be deliberate.
 */
const PINNED = {
  data: [
    'AWS::Kinesis::Stream Stream790BDEE4',
    // Added with cdk-nag (issue 10): the server access logs of the other two buckets.
    'AWS::S3::Bucket AccessLogsBucket83982689',
    'AWS::S3::Bucket ArtifactsBucket2AAC5544',
    'AWS::S3::Bucket DataBucketE3889A50',
  ],
  pipeline: [
    // Added with the online-learning system (issue 13): its functions, its stream consumer and the consumer's queue.
    'AWS::Lambda::EventSourceMapping IngestFunctionKinesisEventSourceDataStackStream416879E4384F7BFE',
    'AWS::Lambda::EventSourceMapping OnlineLearnerFunctionKinesisEventSourceDataStackStream416879E4114BBD83',
    'AWS::Lambda::Function ArchiveFunction2AEC8AC5',
    'AWS::Lambda::Function ChurnControlFunction4F153686',
    'AWS::Lambda::Function ChurnDaysFunction38A01F5D',
    'AWS::Lambda::Function ChurnEdaFunction6B09DDF8',
    'AWS::Lambda::Function ChurnFeaturesFunction08BC17A3',
    'AWS::Lambda::Function ChurnMonitorFunctionFBAEB4C5',
    'AWS::Lambda::Function ChurnPredictFunctionAB476E9E',
    'AWS::Lambda::Function ChurnTrainFunction4B67E969',
    'AWS::Lambda::Function IngestFunction83726A21',
    'AWS::Lambda::Function OnlineAnalysisFunctionD1CBE158',
    'AWS::Lambda::Function OnlineApiFunctionF746EFA3',
    'AWS::Lambda::Function OnlineLearnerFunction2D0C337E',
    'AWS::Lambda::Function OnlinePollerFunctionF7E23648',
    'AWS::Lambda::Function OnlineSourceFunction607562A7',
    'AWS::Lambda::Function ProducerFunction68AABDDE',
    'AWS::Lambda::Function PromoteFunctionC6CBD18E',
    'AWS::Lambda::Function RollbackFunctionD4E4C377',
    'AWS::Lambda::Function SalesApiFunction94444273',
    'AWS::Lambda::Function SalesCollectFunction7F1BF6A1',
    'AWS::Lambda::Function SalesForecastFunctionD3BF86FE',
    'AWS::Lambda::Function SalesMonitorFunctionE0655D0B',
    'AWS::Lambda::Function SalesTrainPlanFunctionDDAFCF87',
    'AWS::Lambda::Function SalesTrainStoresFunction7A8223EE',
    'AWS::Lambda::Function SensorsChunksFunction4F11709D',
    'AWS::Lambda::Function SensorsClusterFunction96BA2768',
    'AWS::Lambda::Function SensorsEndpointFunction8C2AD11F',
    'AWS::Lambda::Function SensorsFeaturesFunction468279A5',
    'AWS::Lambda::Function WaterForecastFunction9D71D12A',
    'AWS::Lambda::Function WaterReportFunction36FE462E',
    'AWS::Lambda::Function WaterSeriesFunction56C12C9D',
    'AWS::Lambda::Function WaterTrainFunction91C88740',
    'AWS::Lambda::Url ChurnControlFunctionFunctionUrlCE748F3A',
    'AWS::Lambda::Url OnlineApiFunctionFunctionUrlFBAFBE1D',
    'AWS::Lambda::Url OnlineSourceFunctionFunctionUrl2018CBCD',
    'AWS::Lambda::Url SalesApiFunctionFunctionUrl346A75F4',
    'AWS::Lambda::Url SensorsEndpointFunctionFunctionUrl3DD496D5',
    'AWS::Lambda::Url WaterForecastFunctionFunctionUrl17F73E90',
    'AWS::SNS::Topic AlarmsTopic3A2DFEBA',
    'AWS::SQS::Queue EventRulesDeadLetterQueue2EC35C94',
    'AWS::SQS::Queue IngestStreamConsumerDeadLetterQueueFECDAF4F',
    'AWS::SQS::Queue OnlineLearnerStreamConsumerDeadLetterQueue56859C43',
    'AWS::SQS::Queue ScheduleDeadLetterQueue0D6B48D2',
    'AWS::Scheduler::Schedule ChurnDailyStateMachineScheduleEEBFEB32',
    'AWS::Scheduler::Schedule ChurnStreamStateMachineSchedule21779E61',
    'AWS::Scheduler::Schedule OnlineAnalysisStateMachineSchedule6923FE0E',
    'AWS::Scheduler::Schedule OnlinePollStateMachineSchedule3B19B3EB',
    'AWS::Scheduler::Schedule SalesDailyStateMachineSchedule0E3F2C0B',
    'AWS::Scheduler::Schedule SalesStreamStateMachineScheduleFBB2EC6E',
    'AWS::Scheduler::Schedule SalesTrainStateMachineSchedule137F4EBF',
    'AWS::Scheduler::Schedule SensorsInferenceStateMachineSchedule1D1ACE66',
    'AWS::Scheduler::Schedule SensorsStreamStateMachineScheduleEF13D3AA',
    'AWS::Scheduler::Schedule SensorsTrainingStateMachineSchedule72392241',
    'AWS::Scheduler::Schedule WaterRetrainStateMachineScheduleF20B8367',
    'AWS::Scheduler::Schedule WaterStreamStateMachineScheduleCFA43B38',
    'AWS::StepFunctions::StateMachine ArchiveStateMachine7AC80ACF',
    'AWS::StepFunctions::StateMachine ChurnDailyStateMachine81265739',
    'AWS::StepFunctions::StateMachine ChurnEdaStateMachineAEB44C6B',
    'AWS::StepFunctions::StateMachine ChurnMonitorStateMachineE1F715B5',
    'AWS::StepFunctions::StateMachine ChurnStreamStateMachine960744F9',
    'AWS::StepFunctions::StateMachine ChurnTrainStateMachine9B0AC911',
    'AWS::StepFunctions::StateMachine OnlineAnalysisStateMachine2DE7E42D',
    'AWS::StepFunctions::StateMachine OnlinePollStateMachineC1F40AA9',
    'AWS::StepFunctions::StateMachine PromoteStateMachineB56DE9B2',
    'AWS::StepFunctions::StateMachine RollbackStateMachineB4172BD9',
    'AWS::StepFunctions::StateMachine SalesDailyStateMachine10463EF2',
    'AWS::StepFunctions::StateMachine SalesStreamStateMachine8FD04D4E',
    'AWS::StepFunctions::StateMachine SalesTrainStateMachineD4672BAC',
    'AWS::StepFunctions::StateMachine SensorsInferenceStateMachine856625B9',
    'AWS::StepFunctions::StateMachine SensorsStreamStateMachineB8FE7171',
    'AWS::StepFunctions::StateMachine SensorsTrainingStateMachineD53D3147',
    'AWS::StepFunctions::StateMachine WaterInitModelStateMachine59002F5D',
    'AWS::StepFunctions::StateMachine WaterRetrainStateMachine02C00135',
    'AWS::StepFunctions::StateMachine WaterStreamStateMachineBF94C3DF',
  ],
};

/** The resources whose replacement loses data, history or an address people use. */
const CONTRACT_TYPES = new Set([
  'AWS::Kinesis::Stream',
  'AWS::S3::Bucket',
  'AWS::Lambda::Function',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Url',
  'AWS::StepFunctions::StateMachine',
  'AWS::Scheduler::Schedule',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
]);

describe('logical ids', () => {
  it('are exactly the pinned ones, so a rename cannot replace a deployed resource unnoticed', () => {
    // Prepare: bundling off (ids do not depend on code)
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });

    // Act
    const stacks = addPipelineStacks(app, defaultConfig);
    const ids = (stack: Stack) =>
      Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>)
        .filter(([id, resource]) => CONTRACT_TYPES.has(resource.Type) && !id.startsWith('Custom'))
        .map(([id, resource]) => `${resource.Type} ${id}`)
        .sort();

    // Assess
    expect(ids(stacks.data)).toEqual(PINNED.data);
    expect(ids(stacks.pipeline)).toEqual(PINNED.pipeline);
  });
});
