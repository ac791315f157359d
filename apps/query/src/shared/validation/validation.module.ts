import { Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { InputValidationPipe } from './input-validation.pipe';

/** Validates every route's DTO-typed body, query and path parameters (see InputValidationPipe). */
@Module({ providers: [{ provide: APP_PIPE, useClass: InputValidationPipe }] })
export class ValidationModule {}
